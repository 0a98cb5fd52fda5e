// `cxl-bench decode HPA [--topology NAME] [--no-region] [--mode ram|pmem] [--kernel K] [--ways N]
// [--granularity BYTES] [--db FILE] [--json]`: the decode chain of a host physical address on a live emulated
// platform — CFMWS (modulo or XOR) -> host bridge -> switches -> endpoint decoder -> DPA — after creating a
// region there (kept, no memory test) unless --no-region. Exit 1 when the chain breaks (it names where).

import type { DecodeChain } from '../../main/api/contract.js';
import { DEFAULT_DB, parse, str } from '../args.js';
import { write, type CliIo } from '../io.js';
import { EXIT } from '../usage.js';
import { withLiveBench } from './live-session.js';
import { REGION_OPTIONS, regionInput, stepsText } from './region-args.js';

export const DECODE_HELP = `usage: cxl-bench decode HPA [--topology NAME] [--no-region] [--mode ram|pmem] [--kernel 6.1|6.12|mainline]
                           [--ways N] [--granularity BYTES] [--window N] [--db FILE] [--json]
  The decode chain of HPA (hex 0x... or decimal): window -> host bridge -> switch -> endpoint -> DPA, read back
  from the decoders. Creates a region first (as \`region --keep --no-memtest\` would) unless --no-region.
  Exit 1 when the address does not decode, naming the component where the chain breaks.
`;

export function chainText(c: DecodeChain): string {
  const lines = [`HPA 0x${c.hpa.toString(16)}: ${c.ok ? `${c.endpoint} DPA 0x${c.dpa!.toString(16)}` : `does not decode (${c.broken!.node})`}`];
  for (const h of c.hops) lines.push(`  ${h.level.padEnd(11)} ${h.node.padEnd(22)} ${h.detail}`);
  if (c.broken) lines.push(`  BROKEN      ${c.broken.node.padEnd(22)} ${c.broken.reason}`);
  return lines.join('\n') + '\n';
}

export async function decodeCommand(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    await write(io.stdout, DECODE_HELP);
    return EXIT.ok;
  }
  const p = parse('decode', args, { ...REGION_OPTIONS, topology: { type: 'string' }, 'no-region': { type: 'boolean' }, db: { type: 'string' }, json: { type: 'boolean' } }, { min: 1, max: 1, names: 'HPA' });
  const hpa = p.positionals[0]!;
  return withLiveBench('decode', str(p, 'db') ?? DEFAULT_DB, str(p, 'topology') ?? 'single', async (live) => {
    const sessionId = live.bench.sessionId;
    let pre = '';
    if (!p.values['no-region']) {
      const r = await live.call('regions.create', { ...regionInput('decode', p, sessionId), keep: true, memtest: false });
      if (!r.region) pre = `region could not be created: ${r.summary}\n${stepsText(r.steps)}\n`;
      else pre = `region: ${r.region.mode} at 0x${r.region.base.toString(16)} + 0x${r.region.size.toString(16)}, ${r.region.ways}-way x ${r.region.granularity} B\n`;
    }
    const chain = await live.call('regions.decode', { sessionId, hpa });
    await write(io.stdout, p.values.json ? JSON.stringify(chain) + '\n' : pre + chainText(chain));
    return chain.ok ? EXIT.ok : EXIT.failed;
  });
}
