// `cxl-bench labels NODE [--topology NAME] [--region] [--db FILE] [--json]`: a Type 3 device's Label Storage
// Area read back with Get LSA and decoded (index blocks, the one in force, region and namespace labels);
// --region first creates a pmem region with labels on the live bench (as ndctl would write them).

import type { LsaView } from '../../main/api/contract.js';
import { DEFAULT_DB, parse, str } from '../args.js';
import { write, type CliIo } from '../io.js';
import { EXIT } from '../usage.js';
import { withLiveBench } from './live-session.js';
import { REGION_OPTIONS, regionInput, stepsText } from './region-args.js';

export const LABELS_HELP = `usage: cxl-bench labels NODE [--topology NAME] [--region] [--ways N] [--granularity BYTES] [--db FILE] [--json]
  The Label Storage Area of Type 3 device NODE (e.g. hb0.rp0.ep0) read with Get LSA and decoded: both namespace
  index blocks (CXL 2.0 Table 210), which one is current, region labels (Table 211) and namespace labels
  (Table 212) with their checksums. --region creates a pmem region with labels first (kept, no memory test).
  Exit 1 when the LSA has problems (bad checksums, no index).
`;

export function lsaText(v: LsaView): string {
  const lines = [`${v.node}: LSA ${v.size} B`];
  v.index.forEach((x, i) => lines.push(x ? `  index ${i} @0x${x.offset.toString(16)}: seq ${x.seq}, v${x.major}.${x.minor}, ${x.nslot} slots (${x.freeSlots} free) from 0x${x.labeloff.toString(16)}, checksum ${x.checksumOk ? 'ok' : 'BAD'}${v.current === x.offset ? '  <- current' : ''}` : `  index ${i}: none`));
  for (const l of v.labels as Array<Record<string, unknown>>) lines.push(`  slot ${l.slot}: ${l.kind} label ${JSON.stringify(l)}`);
  for (const p of v.problems) lines.push(`  problem: ${p}`);
  return lines.join('\n') + '\n';
}

export async function labelsCommand(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    await write(io.stdout, LABELS_HELP);
    return EXIT.ok;
  }
  const { mode: _m, ...rest } = REGION_OPTIONS;
  const p = parse('labels', args, { ...rest, topology: { type: 'string' }, region: { type: 'boolean' }, db: { type: 'string' }, json: { type: 'boolean' } }, { min: 1, max: 1, names: 'NODE' });
  const node = p.positionals[0]!;
  return withLiveBench('labels', str(p, 'db') ?? DEFAULT_DB, str(p, 'topology') ?? 'single', async (live) => {
    const sessionId = live.bench.sessionId;
    let pre = '';
    if (p.values.region) {
      const r = await live.call('regions.create', { ...regionInput('labels', p, sessionId), mode: 'pmem', keep: true, memtest: false, labels: true });
      pre = `${r.summary}\n${stepsText(r.steps.filter((s) => s.name.startsWith('labels') || s.verdict === 'fail'))}\n`;
    }
    const v = await live.call('regions.labels', { sessionId, node });
    await write(io.stdout, p.values.json ? JSON.stringify(v) + '\n' : pre + lsaText(v));
    return v.problems.length ? EXIT.failed : EXIT.ok;
  });
}
