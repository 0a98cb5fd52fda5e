// `cxl-bench compare RUN_A RUN_B [--mask FIELD ...] [--node-map A=B ...] [--node A[=B]] [--align node|global] [--rebase]
// [--hunks N] [--json]`: compare two stored runs; exit 0 when they are equal, 1 when they differ (CI gates a board
// revision on it). Text output: counts, alignment, per device, moved structures and the structures that differ,
// first divergence, the registers that differ, and the first N hunks (default 5) with field decode.

import { existsSync } from 'node:fs';
import { ApiError } from '../../main/api/api-error.js';
import type { CompareHunk, CompareSummary, Page } from '../../main/api/contract.js';
import { CompareService } from '../../main/compare/compare-service.js';
import { openStore } from '../../main/store/store.js';
import { DEFAULT_DB, int, oneOf, parse, str } from '../args.js';
import { parseNodePair, summaryLines } from './compare-summary.js';
import { write, type CliIo } from '../io.js';
import { EXIT, UsageError } from '../usage.js';

const runId = (s: string): number => {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`compare: run ids must be positive integers, got "${s}"`);
  return n;
};

export async function compareCommand(args: string[], io: CliIo): Promise<number> {
  const p = parse(
    'compare',
    args,
    { db: { type: 'string' }, json: { type: 'boolean' }, mask: { type: 'string', multiple: true }, 'node-map': { type: 'string', multiple: true }, hunks: { type: 'string' }, rebase: { type: 'boolean' }, node: { type: 'string' }, align: { type: 'string' } },
    { min: 2, max: 2, names: 'RUN_A RUN_B' },
  );
  const pair = parseNodePair('compare', str(p, 'node'));
  const nodeMap = pair?.nodeMap || p.values['node-map'] ? { ...parseNodeMap(p.values['node-map'] as unknown as string[] | undefined), ...pair?.nodeMap } : undefined;
  const align = oneOf('compare', '--align', str(p, 'align'), ['node', 'global'] as const);
  const topHunks = int('compare', p, 'hunks', 0, 1000) ?? 5;
  const [a, b] = p.positionals.map(runId);
  const dbPath = str(p, 'db') ?? DEFAULT_DB;
  if (!existsSync(dbPath)) throw new UsageError(`compare: no database at ${dbPath}`);
  const store = openStore(dbPath, { recover: false });
  try {
    let r: CompareSummary;
    let hunks: Page<CompareHunk> | null = null;
    try {
      const masks = p.values.mask as unknown as string[] | undefined;
      const service = new CompareService(store);
      r = service.run({
        runA: a,
        runB: b,
        ...(masks ? { masks } : {}),
        ...(nodeMap ? { nodeMap } : {}),
        ...(p.values.rebase ? { rebase: true } : {}),
        ...(align ? { align } : {}),
        ...(pair ? { node: pair.node } : {}),
      });
      if (!p.values.json && topHunks > 0 && r.hunkCount > 0) hunks = service.hunks(r.compareId, 0, topHunks);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'not-found') throw new UsageError(`compare: ${e.message}`);
      throw e;
    }
    await write(io.stdout, p.values.json ? JSON.stringify(r) + '\n' : text(r, hunks));
    return r.equal ? EXIT.ok : EXIT.failed;
  } finally {
    store.close();
  }
}

/** Repeated --node-map A=B (run A's node name -> run B's). */
function parseNodeMap(pairs: readonly string[] | undefined): Record<string, string> | undefined {
  if (!pairs?.length) return undefined;
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const m = /^([^=]+)=([^=]+)$/.exec(pair);
    if (!m) throw new UsageError(`compare: --node-map must be A=B (run A's node = run B's node), got "${pair}"`);
    out[m[1]] = m[2];
  }
  return out;
}

function text(r: CompareSummary, hunks: Page<CompareHunk> | null): string {
  const c = r.counts;
  const lines = [
    `compare run ${r.runA} (${r.events.a} events) with run ${r.runB} (${r.events.b} events): ${r.equal ? 'EQUAL' : 'DIFFERENT'}`,
    `  ${c.equal} equal, ${c.valueDiffers} value differs, ${c.onlyA} only in A, ${c.onlyB} only in B, ${c.pollCountDiffers} poll-count; ${r.hunkCount} hunks`,
  ];
  lines.push(...summaryLines(r));
  if (r.firstDivergence) lines.push(`  first divergence: ${r.firstDivergence.text}`);
  const differing = r.registers.filter((x) => x.valueDiffers + x.onlyA + x.onlyB + x.pollCountDiffers > 0).slice(0, 10);
  for (const x of differing) lines.push(`  ${x.register}: ${x.valueDiffers} value, ${x.onlyA} only A, ${x.onlyB} only B, ${x.pollCountDiffers} poll`);
  if (hunks?.rows.length) lines.push(`  first ${hunks.rows.length} of ${hunks.total} hunks:`);
  for (const h of hunks?.rows ?? []) {
    lines.push(`  hunk ${h.index}:`);
    for (const it of h.items) {
      lines.push(`    ${it.text}`);
      // Field decode of both sides: "A: field=value, ...".
      if (it.kind === 'value') {
        if (it.a?.row.fields) lines.push(`      A #${it.a.seq}: ${it.a.row.fields}`);
        if (it.b?.row.fields) lines.push(`      B #${it.b.seq}: ${it.b.row.fields}`);
      }
    }
  }
  return lines.join('\n') + '\n';
}

/** The text report, for other commands that compare (lab compare). */
export { text as compareText };
