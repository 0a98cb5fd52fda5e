// The per-device / per-structure part of a comparison's text output (issue 14), shared by `compare`, `replay`
// and `qemu-compare`: alignment, one line per device, the structures that moved or differ, each move once.

import type { CompareCounts, CompareSummary } from '../../main/api/contract.js';
import { UsageError } from '../usage.js';

const diffs = (c: CompareCounts): number => c.valueDiffers + c.onlyA + c.onlyB + c.pollCountDiffers;

const countsText = (c: CompareCounts, a = 'A', b = 'B'): string =>
  `${c.equal} equal, ${c.valueDiffers} value differs, ${c.onlyA} only in ${a}, ${c.onlyB} only in ${b}, ${c.pollCountDiffers} poll-count`;

/** Lines: alignment, devices, moves, differing structures (at most `maxStructures`). */
export function summaryLines(r: CompareSummary, a = 'A', b = 'B', maxStructures = 12): string[] {
  const pct = (r.alignment.ratio * 100).toFixed(r.alignment.ratio === 1 ? 0 : 2);
  const lines = [`  aligned ${pct} % of entries (${r.alignment.mode === 'node' ? `per node, ${r.alignment.streams} streams` : 'one global order'})`];
  if (r.devices.length) lines.push('  per device:');
  for (const d of r.devices) lines.push(`    ${d.node}: ${diffs(d) === 0 && d.moved === 0 ? 'equal' : countsText(d, a, b)}${d.moved ? `, ${d.moved} moved` : ''}`);
  for (const m of r.moves) lines.push(`  ${m.text}`);
  const differing = r.structures.filter((s) => diffs(s) > 0).sort((x, y) => diffs(y) - diffs(x));
  if (differing.length) lines.push('  structures that differ:');
  for (const s of differing.slice(0, maxStructures))
    lines.push(`    ${s.node} · ${s.structure}: ${countsText(s, a, b)}${s.moved ? ` (moved 0x${s.moved.a.toString(16)} → 0x${s.moved.b.toString(16)})` : ''}`);
  if (differing.length > maxStructures) lines.push(`    … ${differing.length - maxStructures} more (--json lists all)`);
  return lines;
}

/**
 * `--node A[=B]`: compare one node pair. "X" compares node X of both runs; "A=B" compares run A's node A with
 * run B's node B (added to the node map).
 */
export function parseNodePair(command: string, value: string | undefined): { node: string; nodeMap?: Record<string, string> } | undefined {
  if (value === undefined) return undefined;
  const m = /^([^=]+)(?:=([^=]+))?$/.exec(value);
  if (!m) throw new UsageError(`${command}: --node must be NODE or A=B (run A's node = run B's node), got "${value}"`);
  return m[2] === undefined ? { node: m[1] } : { node: m[2], nodeMap: { [m[1]]: m[2] } };
}
