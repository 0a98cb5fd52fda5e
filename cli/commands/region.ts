// `cxl-bench region [--topology NAME] [--mode ram|pmem] [--kernel 6.1|6.12|mainline] [--ways N]
// [--granularity BYTES] [--window N] [--keep] [--no-memtest] [--test-bytes N] [--list] [--decode HPA ...]
// [--evidence] [--db FILE] [--json]`: create a region on a live emulated platform the way `cxl create-region`
// makes Linux do it (regions.create), memory-test it, and tear it down unless --keep; --list prints `cxl list
// -vvv` afterwards, --decode the decode chain of HPAs. Recorded in a console run of session 'cli'. Exit 1 when
// a step failed.

import type { DecodeChain, RegionCreateResult } from '../../main/api/contract.js';
import { DEFAULT_DB, int, parse, str } from '../args.js';
import { write, type CliIo } from '../io.js';
import { EXIT } from '../usage.js';
import { chainText } from './decode.js';
import { withLiveBench } from './live-session.js';
import { REGION_OPTIONS, regionInput, stepsText } from './region-args.js';

export const REGION_HELP = `usage: cxl-bench region [--topology NAME] [--mode ram|pmem] [--kernel 6.1|6.12|mainline] [--ways N]
                       [--granularity BYTES] [--window N] [--keep] [--no-memtest] [--labels] [--test-bytes N]
                       [--list] [--decode HPA ...] [--evidence] [--db FILE] [--json]
  Create a region like \`cxl create-region\` on a live emulated platform: DPA from the mode's partition (skip
  included), positions and target lists as Linux computes them, pass-through ports left alone, commit bottom-up;
  then a memory test (unless --no-memtest) and teardown (unless --keep). --mode defaults to ram when every device
  has free volatile capacity (and the kernel has ram regions), else pmem. --kernel picks Linux's version-dependent
  choices (default 6.12). --labels writes region and namespace labels into each pmem device's LSA. --list prints \`cxl list -vvv\` JSON after, --decode HPA the decode chain of an address.
  Exit 1 when a step failed.
`;

export async function regionCommand(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    await write(io.stdout, REGION_HELP);
    return EXIT.ok;
  }
  const p = parse(
    'region',
    args,
    {
      ...REGION_OPTIONS,
      topology: { type: 'string' },
      keep: { type: 'boolean' },
      'no-memtest': { type: 'boolean' },
      labels: { type: 'boolean' },
      'test-bytes': { type: 'string' },
      list: { type: 'boolean' },
      decode: { type: 'string', multiple: true },
      evidence: { type: 'boolean' },
      db: { type: 'string' },
      json: { type: 'boolean' },
    },
    { min: 0, max: 0, names: '' },
  );
  const testBytes = int('region', p, 'test-bytes', 4096, 16 << 20);
  const decode = (p.values.decode as string[] | undefined) ?? [];
  return withLiveBench('region', str(p, 'db') ?? DEFAULT_DB, str(p, 'topology') ?? 'single', async (live) => {
    const sessionId = live.bench.sessionId;
    const keepForLater = !!p.values.keep || !!p.values.list || decode.length > 0;
    const created: RegionCreateResult = await live.call('regions.create', {
      ...regionInput('region', p, sessionId),
      keep: keepForLater,
      memtest: !p.values['no-memtest'],
      ...(p.values.labels ? { labels: true } : {}),
      ...(testBytes !== undefined ? { testBytes } : {}),
    });
    const list = p.values.list ? (await live.call('regions.list', { sessionId, ...(str(p, 'kernel') ? { kernel: created.region?.kernel ?? '6.12' } : {}) })).cxlList : undefined;
    const chains: DecodeChain[] = [];
    for (const h of decode) chains.push(await live.call('regions.decode', { sessionId, hpa: h }));
    // Asked only for the list or a decode: the region goes away as the command ends (the bench closes).
    if (keepForLater && !p.values.keep) await live.call('regions.teardown', { sessionId });
    const failed = created.steps.some((s) => s.verdict === 'fail');
    if (p.values.json) await write(io.stdout, JSON.stringify({ ...created, ...(list ? { cxlList: list } : {}), ...(chains.length ? { decode: chains } : {}) }) + '\n');
    else {
      let text = `region on ${live.bench.topology} (console run ${live.bench.runId}): ${created.summary}\n` + stepsText(created.steps, !!p.values.evidence);
      if (created.region) {
        const r = created.region;
        text += `\n  ${r.mode} region ${r.uuid ? `${r.uuid} ` : ''}at 0x${r.base.toString(16)} + 0x${r.size.toString(16)}, ${r.ways}-way x ${r.granularity} B (CFMWS${r.window}, Linux ${r.kernel})\n`;
        for (const t of r.targets) text += `    position ${t.position}: ${t.node} decoder ${t.decoder}, DPA 0x${t.dpa.toString(16)} (skip 0x${t.skip.toString(16)})\n`;
      }
      for (const c of chains) text += '\n' + chainText(c);
      if (list) text += '\n' + JSON.stringify(list, null, 2) + '\n';
      await write(io.stdout, text);
    }
    return failed || chains.some((c) => !c.ok) ? EXIT.failed : EXIT.ok;
  });
}
