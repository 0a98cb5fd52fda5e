// `cxl-bench import FILE [--format qemu|csv|jsonl] [--session NAME] [--topology NAME|FILE] [--node-map DEV=NODE ...]
// [--all-devices] [--json]`: a trace file becomes a new run (sequence 'import') through the same trace.import call
// the UI makes, on the topology given (built-in, saved or a file; stored with the run) or chosen from the trace.
// Every device of the trace must get a node — one the topology cannot place is a usage error naming it (exit 2),
// unless --node-map places it — and every input line is counted: imported, folded, used, blank or skipped with
// its reason (printed; --json: the run with its `report`). A QEMU log keeps only its CXL devices unless
// --all-devices. The format defaults from the file name (.csv, .jsonl/.json, anything else: a QEMU trace log). A
// malformed line is a usage error (exit 2) naming the line; nothing is written.

import { existsSync, readFileSync } from 'node:fs';
import { ApiError } from '../../main/api/api-error.js';
import type { TraceImportFormat } from '../../main/api/contract.js';
import { callApi } from '../../main/api/table.js';
import { createServices } from '../../main/services/services.js';
import { DEFAULT_DB, oneOf, parse, str } from '../args.js';
import { write, type CliIo } from '../io.js';
import { EXIT, UsageError } from '../usage.js';
import { topologyArg } from './topology-arg.js';

/** Repeated --node-map DEV=NODE (a QEMU device "type@bb:dd.f", a BDF or a type; a CSV/JSONL node name). */
function nodeMapArg(command: string, pairs: readonly string[] | undefined): Record<string, string> | undefined {
  if (!pairs?.length) return undefined;
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.lastIndexOf('=');
    if (at <= 0 || at === pair.length - 1) throw new UsageError(`${command}: --node-map must be DEVICE=NODE, got "${pair}"`);
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}

const FORMATS: readonly TraceImportFormat[] = ['qemu', 'csv', 'jsonl'];

export const formatFromName = (file: string): TraceImportFormat =>
  /\.csv$/i.test(file) ? 'csv' : /\.jsonl?$/i.test(file) ? 'jsonl' : 'qemu';

export async function importCommand(args: string[], io: CliIo): Promise<number> {
  const p = parse(
    'import',
    args,
    { format: { type: 'string' }, session: { type: 'string' }, topology: { type: 'string' }, 'node-map': { type: 'string', multiple: true }, 'all-devices': { type: 'boolean' }, db: { type: 'string' }, json: { type: 'boolean' } },
    { min: 1, max: 1, names: 'FILE' },
  );
  const file = p.positionals[0];
  if (!existsSync(file)) throw new UsageError(`import: no file ${file}`);
  const format = oneOf('import', '--format', str(p, 'format'), FORMATS) ?? formatFromName(file);
  const services = await createServices({ dbPath: str(p, 'db') ?? DEFAULT_DB });
  try {
    const name = str(p, 'session') ?? 'imports';
    const session = services.store.sessions.findByName(name) ?? services.store.sessions.create(name);
    const topo = topologyArg('import', services, str(p, 'topology'));
    const nodeMap = nodeMapArg('import', p.values['node-map'] as unknown as string[] | undefined);
    let run;
    try {
      run = await callApi(services, 'trace.import', {
        sessionId: session.id,
        format,
        text: readFileSync(file, 'utf8'),
        ...(topo.topology !== undefined ? { topology: topo.topology } : {}),
        ...(topo.topologyJson !== undefined ? { topologyJson: topo.topologyJson } : {}),
        ...(nodeMap ? { nodeMap } : {}),
        ...(p.values['all-devices'] ? { cxlOnly: false } : {}),
      });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'bad-input') throw new UsageError(`import: ${file}: ${e.message.replace(/^trace\.import: (text: )?/, '')}`);
      throw e;
    }
    const devices = run.report.devices.filter((d) => d.device !== d.node).map((d) => `  ${d.device} -> ${d.node}`);
    await write(io.stdout, p.values.json ? JSON.stringify(run) + '\n' : [`run ${run.id}: ${run.summary} (session "${name}"; cxl-bench trace ${run.id} --format csv)`, ...devices].join('\n') + '\n');
    return EXIT.ok;
  } finally {
    await services.close();
  }
}
