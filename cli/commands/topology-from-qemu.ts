// `cxl-bench topology from-qemu LOG|CMDLINE [--name NAME] [--out FILE] [--json]` (issue 14): a topology file derived
// from a QEMU command line (exact: devices, ports, bus numbers, memory and LSA sizes, serials, windows) or from a
// QEMU trace log (the tree the guest enumerated; sizes, serials and windows are defaults to edit), validated, so
// a QEMU capture can be imported and replayed on exactly its own topology (`import LOG --topology FILE`).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { formatTopologyError, loadTopology } from '../../emulator/topology/load.js';
import { FromQemuError, topologyFromQemu } from '../../main/compare/topology-from-qemu.js';
import { parse, str } from '../args.js';
import { write, type CliIo } from '../io.js';
import { EXIT, UsageError } from '../usage.js';

export async function topologyFromQemuCommand(args: string[], io: CliIo): Promise<number> {
  const command = 'topology from-qemu';
  const p = parse(command, args, { name: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } }, { min: 1, max: 1, names: 'LOG|CMDLINE' });
  const file = p.positionals[0];
  if (!existsSync(file)) throw new UsageError(`${command}: no file ${file}`);
  const name = str(p, 'name') ?? `qemu-${basename(file).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9._-]/g, '-')}`;
  let derived;
  try {
    derived = topologyFromQemu(readFileSync(file, 'utf8'), name);
  } catch (e) {
    if (e instanceof FromQemuError) throw new UsageError(`${command}: ${file}: ${e.message}`);
    throw e;
  }
  const text = JSON.stringify(derived.topology, null, 2) + '\n';
  const r = loadTopology(text);
  if (!r.ok) throw new UsageError(`${command}: ${file}: the derived topology is not valid: ${r.errors.map(formatTopologyError).join('; ')}`);
  const out = str(p, 'out');
  if (out) writeFileSync(out, text);
  if (p.values.json) await write(io.stdout, JSON.stringify({ from: derived.from, name, out: out ?? null, topology: derived.topology }) + '\n');
  else if (out) await write(io.stdout, `${out}: topology ${name} from the ${derived.from} (${r.topology.hostBridges.length} host bridge(s)); cxl-bench import ${file.endsWith('.log') ? file : 'LOG'} --topology ${out}\n`);
  else await write(io.stdout, text);
  return EXIT.ok;
}
