// `cxl-bench topology from-qemu LOG|CMDLINE [--name NAME] [--out FILE] [--json]`: a topology file from a QEMU
// command line (exact: devices, sizes, windows) or a QEMU trace log (structure only; what a log cannot say is
// printed as a note on stderr). The file is validated before it is written.

import { readFileSync, writeFileSync } from 'node:fs';
import { formatTopologyError, loadTopology } from '../../emulator/topology/load.js';
import { topologyFromQemu } from '../../main/qemu/topology-from-qemu.js';
import { parse, str } from '../args.js';
import { write, type CliIo } from '../io.js';
import { EXIT, UsageError } from '../usage.js';

export async function topologyFromQemuCommand(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    await write(io.stdout, 'usage: cxl-bench topology from-qemu LOG|CMDLINE [--name NAME] [--out FILE] [--json]\n  a topology file from a QEMU command line (exact) or a QEMU trace log (structure only)\n');
    return EXIT.ok;
  }
  const p = parse('topology from-qemu', args, { name: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } }, { min: 1, max: 1, names: 'LOG|CMDLINE' });
  let text: string;
  try {
    text = readFileSync(p.positionals[0], 'utf8');
  } catch (e) {
    throw new UsageError(`topology from-qemu: cannot read ${p.positionals[0]}: ${(e as Error).message}`);
  }
  let r;
  try {
    r = topologyFromQemu(text, str(p, 'name'));
  } catch (e) {
    throw new UsageError(`topology from-qemu: ${p.positionals[0]}: ${(e as Error).message}`);
  }
  const checked = loadTopology(structuredClone(r.topology));
  if (!checked.ok) throw new UsageError(`topology from-qemu: the result is not a valid topology: ${checked.errors.map(formatTopologyError).join('; ')}`);
  const json = JSON.stringify(r.topology, null, 2) + '\n';
  for (const n of r.notes) await write(io.stderr, `note: ${n}\n`);
  const out = str(p, 'out');
  if (out) writeFileSync(out, json);
  await write(io.stdout, p.values.json ? JSON.stringify({ topology: r.topology, notes: r.notes }) + '\n' : out ? `wrote ${out}\n` : json);
  return EXIT.ok;
}
