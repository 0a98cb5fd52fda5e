// The kernel matrix: one device's linux-probe under every kernel profile, as a table of step × version with the
// first failing step per version ("probes on 6.12, fails on 6.1 at …"). Built from the steps each run recorded,
// so the same function serves a fresh set of runs (CLI --kernel all, kernels.matrix) and stored ones.

import type { Verdict } from '../../common/trace-sink.js';
import type { KernelId } from './types.js';

export interface KernelRunSteps {
  kernel: KernelId;
  /** The run that produced the steps, when stored. */
  runId?: number;
  steps: ReadonlyArray<{ name: string; verdict: Verdict; reason: string }>;
}

export interface KernelMatrixRow {
  step: string;
  /** Verdict per kernel; absent when that kernel has no such step. */
  cells: Partial<Record<KernelId, Verdict>>;
}

export interface KernelMatrix {
  kernels: KernelId[];
  rows: KernelMatrixRow[];
  /** Per kernel: 'probes' (no fail), or the first failing step and its reason. */
  outcome: Record<string, { probes: boolean; firstFail: { step: string; reason: string } | null; counts: Record<Verdict, number>; runId?: number }>;
  /** "probes on 6.12, mainline; fails on 6.1 at hb0.rp0.ep0: Identify Memory Device (…)". */
  verdict: string;
}

export function buildKernelMatrix(runs: readonly KernelRunSteps[]): KernelMatrix {
  const kernels = runs.map((r) => r.kernel);
  const rows: KernelMatrixRow[] = [];
  const at = new Map<string, KernelMatrixRow>();
  // Rows in first-seen order across the runs (each kernel keeps its own order; later kernels insert after the
  // last row they share).
  for (const r of runs) {
    let insertAfter = -1;
    for (const s of r.steps) {
      let row = at.get(s.name);
      if (!row) {
        row = { step: s.name, cells: {} };
        at.set(s.name, row);
        rows.splice(insertAfter + 1, 0, row);
      }
      insertAfter = rows.indexOf(row);
      const prev = row.cells[r.kernel];
      // A step name repeated within one run keeps its worst verdict.
      row.cells[r.kernel] = prev === 'fail' || s.verdict === 'fail' ? 'fail' : prev === 'warn' || s.verdict === 'warn' ? 'warn' : s.verdict;
    }
  }
  const outcome: KernelMatrix['outcome'] = {};
  for (const r of runs) {
    const counts: Record<Verdict, number> = { pass: 0, warn: 0, fail: 0, info: 0 };
    for (const s of r.steps) counts[s.verdict]++;
    const f = r.steps.find((s) => s.verdict === 'fail');
    outcome[r.kernel] = { probes: !f, firstFail: f ? { step: f.name, reason: f.reason } : null, counts, ...(r.runId !== undefined ? { runId: r.runId } : {}) };
  }
  const ok = kernels.filter((k) => outcome[k]!.probes);
  const bad = kernels.filter((k) => !outcome[k]!.probes);
  const parts: string[] = [];
  if (ok.length) parts.push(`probes on ${ok.join(', ')}`);
  for (const k of bad) parts.push(`fails on ${k} at ${outcome[k]!.firstFail!.step} (${outcome[k]!.firstFail!.reason})`);
  return { kernels, rows, outcome, verdict: parts.join('; ') || 'no runs' };
}

/** The matrix as text: one column per kernel (P/W/F/i, '-' where the kernel has no such step). */
export function kernelMatrixText(m: KernelMatrix): string {
  const mark: Record<Verdict, string> = { pass: 'pass', warn: 'WARN', fail: 'FAIL', info: 'info' };
  const w = Math.min(60, Math.max(4, ...m.rows.map((r) => r.step.length)));
  const col = (s: string) => s.padEnd(9);
  const lines = [`${'step'.padEnd(w)}  ${m.kernels.map(col).join('')}`];
  for (const r of m.rows) lines.push(`${r.step.slice(0, w).padEnd(w)}  ${m.kernels.map((k) => col(r.cells[k] ? mark[r.cells[k]!] : '-')).join('')}`);
  lines.push('', m.verdict);
  return lines.join('\n') + '\n';
}
