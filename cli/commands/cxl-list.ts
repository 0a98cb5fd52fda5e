// `cxl-bench cxl-list [--topology NAME] [--kernel 6.1|6.12|mainline] [--region ram|pmem] [--db FILE]`: what
// `cxl list -vvv` would print for the emulated platform (same JSON shape and field names as ndctl v76), so it
// can be diffed against the real machine; --region creates a region first (kept, no memory test).

import { DEFAULT_DB, oneOf, parse, str } from '../args.js';
import { write, type CliIo } from '../io.js';
import { EXIT } from '../usage.js';
import { withLiveBench } from './live-session.js';
import { REGION_OPTIONS, regionInput, stepsText } from './region-args.js';

export const CXL_LIST_HELP = `usage: cxl-bench cxl-list [--topology NAME] [--kernel 6.1|6.12|mainline] [--region ram|pmem|auto]
                             [--ways N] [--granularity BYTES] [--db FILE]
  \`cxl list -vvv\` JSON of an emulated platform: root decoders (CFMWS) with regions, ports, dports, endpoints,
  memdevs and decoders, named as ndctl names them. --region creates a region first (ram, pmem, or auto).
`;

export async function cxlListCommand(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    await write(io.stdout, CXL_LIST_HELP);
    return EXIT.ok;
  }
  const { mode: _m, ...rest } = REGION_OPTIONS;
  const p = parse('cxl-list', args, { ...rest, topology: { type: 'string' }, region: { type: 'string' }, db: { type: 'string' } }, { min: 0, max: 0, names: '' });
  const region = oneOf('cxl-list', '--region', str(p, 'region'), ['ram', 'pmem', 'auto'] as const);
  return withLiveBench('cxl-list', str(p, 'db') ?? DEFAULT_DB, str(p, 'topology') ?? 'single', async (live) => {
    const sessionId = live.bench.sessionId;
    if (region) {
      const r = await live.call('regions.create', { ...regionInput('cxl-list', p, sessionId), ...(region !== 'auto' ? { mode: region } : {}), keep: true, memtest: false });
      if (!r.region) {
        await write(io.stderr, `cxl-list: region not created: ${r.summary}\n${stepsText(r.steps)}`);
        return EXIT.failed;
      }
    }
    const kernel = str(p, 'kernel');
    const { cxlList } = await live.call('regions.list', { sessionId, ...(kernel ? { kernel: kernel as '6.1' } : {}) });
    await write(io.stdout, JSON.stringify(cxlList, null, 2) + '\n');
    return EXIT.ok;
  });
}
