// `cxl-bench compare RUN_A RUN_B [--mask FIELD ...] [--json]`: compare two stored runs; exit 0 when they are
// equal, 1 when they differ (CI gates a board revision on it).

import { existsSync } from 'node:fs';
import { ApiError } from '../../main/api/api-error.js';
import type { CompareSummary } from '../../main/api/contract.js';
import { CompareService } from '../../main/compare/compare-service.js';
import { openStore } from '../../main/store/store.js';
import { DEFAULT_DB, parse, str } from '../args.js';
import { write, type CliIo } from '../io.js';
import { EXIT, UsageError } from '../usage.js';

const runId = (s: string): number => {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`compare: run ids must be positive integers, got "${s}"`);
  return n;
};

export async function compareCommand(args: string[], io: CliIo): Promise<number> {
  const p = parse('compare', args, { db: { type: 'string' }, json: { type: 'boolean' }, mask: { type: 'string', multiple: true } }, { min: 2, max: 2, names: 'RUN_A RUN_B' });
  const [a, b] = p.positionals.map(runId);
  const dbPath = str(p, 'db') ?? DEFAULT_DB;
  if (!existsSync(dbPath)) throw new UsageError(`compare: no database at ${dbPath}`);
  const store = openStore(dbPath, { recover: false });
  try {
    let r: CompareSummary;
    try {
      const masks = p.values.mask as unknown as string[] | undefined;
      r = new CompareService(store).run({ runA: a, runB: b, ...(masks ? { masks } : {}) });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'not-found') throw new UsageError(`compare: ${e.message}`);
      throw e;
    }
    await write(io.stdout, p.values.json ? JSON.stringify(r) + '\n' : text(r));
    return r.equal ? EXIT.ok : EXIT.failed;
  } finally {
    store.close();
  }
}

function text(r: CompareSummary): string {
  const c = r.counts;
  const lines = [
    `compare run ${r.runA} (${r.events.a} events) with run ${r.runB} (${r.events.b} events): ${r.equal ? 'EQUAL' : 'DIFFERENT'}`,
    `  ${c.equal} equal, ${c.valueDiffers} value differs, ${c.onlyA} only in A, ${c.onlyB} only in B, ${c.pollCountDiffers} poll-count; ${r.hunkCount} hunks`,
  ];
  if (r.firstDivergence) lines.push(`  first divergence: ${r.firstDivergence.text}`);
  const differing = r.registers.filter((x) => x.valueDiffers + x.onlyA + x.onlyB + x.pollCountDiffers > 0).slice(0, 10);
  for (const x of differing) lines.push(`  ${x.register}: ${x.valueDiffers} value, ${x.onlyA} only A, ${x.onlyB} only B, ${x.pollCountDiffers} poll`);
  return lines.join('\n') + '\n';
}
