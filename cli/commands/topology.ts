// `cxl-bench topology list | check FILE | show NAME|FILE`: the built-in topologies, a topology file validated
// with every error on its own line as "field.path: message" (exit 2 when invalid), and the tree of a topology.

import { existsSync, readFileSync } from 'node:fs';
import type { TopologyFieldError, TopologyView } from '../../main/api/contract.js';
import { builtinTopology, checkTopologyText, topologySummaries, topologyView } from '../../main/live/topology-catalog.js';
import { parse } from '../args.js';
import { write, type CliIo } from '../io.js';
import { EXIT, UsageError } from '../usage.js';

const SUBCOMMANDS = ['list', 'check', 'show'] as const;

const errorLine = (e: TopologyFieldError): string => `${e.path || '(file)'}: ${e.message}`;

function readFile(command: string, file: string): string {
  if (!existsSync(file)) throw new UsageError(`${command}: no file ${file}`);
  return readFileSync(file, 'utf8');
}

const viewText = (v: TopologyView): string =>
  `${v.tree}\n\nnodes:\n${v.nodes.map((n) => `  ${n.path.padEnd(24)} ${n.kind.padEnd(12)} ${(n.bdf ?? '').padEnd(8)} ${n.backend}`).join('\n')}\n`;

export async function topologyCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || !(SUBCOMMANDS as readonly string[]).includes(sub))
    throw new UsageError(sub ? `topology: unknown subcommand "${sub}" (expected: ${SUBCOMMANDS.join(', ')})` : `topology: missing subcommand (expected: ${SUBCOMMANDS.join(', ')})`);
  const command = `topology ${sub}`;
  const json = { json: { type: 'boolean' as const } };

  if (sub === 'list') {
    const p = parse(command, rest, json, { min: 0, max: 0, names: '' });
    const list = topologySummaries();
    await write(io.stdout, p.values.json ? JSON.stringify(list) + '\n' : list.map((t) => `${t.name.padEnd(12)} ${t.description}`).join('\n') + '\n');
    return EXIT.ok;
  }

  if (sub === 'check') {
    const p = parse(command, rest, json, { min: 1, max: 1, names: 'FILE' });
    const file = p.positionals[0]!;
    const r = checkTopologyText(readFile(command, file));
    if (p.values.json) await write(io.stdout, JSON.stringify({ file, ok: r.ok, errors: r.errors }) + '\n');
    else if (r.ok) await write(io.stdout, `${file}: valid topology "${r.view!.name}" (${r.view!.nodes.length} nodes)\n`);
    else await write(io.stdout, r.errors.map((e) => `${file}: ${errorLine(e)}`).join('\n') + '\n');
    return r.ok ? EXIT.ok : EXIT.usage;
  }

  // show NAME|FILE: a built-in name first, else a file.
  const p = parse(command, rest, json, { min: 1, max: 1, names: 'NAME|FILE' });
  const what = p.positionals[0]!;
  const builtin = builtinTopology(what);
  let view: TopologyView;
  if (builtin) view = topologyView(builtin);
  else {
    if (!existsSync(what)) throw new UsageError(`${command}: "${what}" is neither a built-in topology (${topologySummaries().map((t) => t.name).join(', ')}) nor a file`);
    const r = checkTopologyText(readFile(command, what));
    if (!r.ok) {
      await write(io.stderr, r.errors.map((e) => `${what}: ${errorLine(e)}`).join('\n') + '\n');
      return EXIT.usage;
    }
    view = r.view!;
  }
  await write(io.stdout, p.values.json ? JSON.stringify(view) + '\n' : viewText(view));
  return EXIT.ok;
}
