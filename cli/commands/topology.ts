// `cxl-bench topology list | check FILE | show NAME|FILE | save NAME FILE | delete NAME`: the built-in topologies
// (and, with --db, the saved ones), a topology file validated with every error on its own line as
// "field.path: message" (exit 2 when invalid), the tree of a topology, and saving a file into / deleting one
// from a database's topologies (topologies.save / delete; runs and live benches take the saved name).

import { existsSync, readFileSync } from 'node:fs';
import type { TopologyFieldError, TopologyView } from '../../main/api/contract.js';
import { builtinTopology, checkTopologyText, topologySummaries, topologyView } from '../../main/live/topology-catalog.js';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ApiError } from '../../main/api/api-error.js';
import { callApi } from '../../main/api/table.js';
import { createServices, type Services } from '../../main/services/services.js';
import { DEFAULT_DB, parse, str } from '../args.js';
import { write, type CliIo } from '../io.js';
import { EXIT, UsageError } from '../usage.js';
import { topologyFromQemuCommand } from './topology-from-qemu.js';

const SUBCOMMANDS = ['list', 'check', 'show', 'save', 'delete', 'from-qemu'] as const;

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

  if (sub === 'save' || sub === 'delete') return savedCommand(sub, rest, io);
  if (sub === 'from-qemu') return topologyFromQemuCommand(rest, io); // main/qemu/topology-from-qemu.ts

  if (sub === 'list') {
    const p = parse(command, rest, { ...json, db: { type: 'string' } }, { min: 0, max: 0, names: '' });
    const db = str(p, 'db');
    const list = db ? await withServices(db, async (s) => (await callApi(s, 'topologies.list', {})).map((t) => ({ name: t.name, description: t.kind === 'saved' ? `(saved) ${t.description}` : t.description }))) : topologySummaries();
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

async function withServices<T>(dbPath: string, fn: (s: Services) => Promise<T>): Promise<T> {
  const s = await createServices({ dbPath });
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

/**
 * The file's JSON with each endpoint backend's relative map path made absolute (against the file's directory),
 * so the saved topology runs from any working directory; everything else is kept as written.
 */
function absoluteMapPaths(text: string, file: string): string {
  const raw = JSON.parse(text) as unknown;
  let changed = false;
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const b = o.backend as { map?: unknown } | undefined;
      if (o.capacity !== undefined && b && typeof b.map === 'string' && !b.map.trim().startsWith('{') && !isAbsolute(b.map)) {
        b.map = resolve(dirname(resolve(file)), b.map);
        changed = true;
      }
      Object.values(o).forEach(visit);
    }
  };
  visit(raw);
  return changed ? JSON.stringify(raw, null, 2) + '\n' : text;
}

/** `topology save NAME FILE [--db FILE] [--json]` and `topology delete NAME [--db FILE] [--json]`. */
async function savedCommand(sub: 'save' | 'delete', args: string[], io: CliIo): Promise<number> {
  const command = `topology ${sub}`;
  const p = parse(command, args, { json: { type: 'boolean' }, db: { type: 'string' } }, sub === 'save' ? { min: 2, max: 2, names: 'NAME FILE' } : { min: 1, max: 1, names: 'NAME' });
  const [name, file] = p.positionals as [string, string | undefined];
  let text = '';
  if (file !== undefined) {
    const r = checkTopologyText(readFile(command, file));
    if (!r.ok) {
      await write(io.stderr, r.errors.map((e) => `${file}: ${errorLine(e)}`).join('\n') + '\n');
      return EXIT.usage;
    }
    text = absoluteMapPaths(readFileSync(file, 'utf8'), file);
  }
  return withServices(str(p, 'db') ?? DEFAULT_DB, async (s) => {
    try {
      const out = sub === 'save' ? await callApi(s, 'topologies.save', { name, json: text }) : await callApi(s, 'topologies.delete', { name });
      await write(io.stdout, p.values.json ? JSON.stringify(out) + '\n' : sub === 'save' ? `saved topology ${name}${'hardware' in out && out.hardware ? ` (${out.hardware} hardware endpoints)` : ''}\n` : `deleted topology ${name}\n`);
      return EXIT.ok;
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'bad-input' || e.code === 'not-found')) throw new UsageError(`${command}: ${e.message}`);
      throw e;
    }
  });
}
