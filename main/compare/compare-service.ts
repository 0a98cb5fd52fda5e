// Comparing two stored runs (DESIGN.md 5) for the API and the CLI: trace/compare over StoredTraceSources with
// each run's own layout, the summary saved in the comparisons table, and the full result kept in memory (a
// few at a time) so hunks page without recomputing; an evicted or pre-restart comparison is recomputed from
// its saved inputs.

import { resolveBlock } from '../../emulator/spec/blocks.js';
import { formatFields } from '../../trace/decode.js';
import { compareTraces, type CompareResult, type DiffItem, type SideView } from '../../trace/compare/index.js';
import { ApiError } from '../api/api-error.js';
import type { CompareHunk, CompareInput, CompareItem, CompareSide, CompareSummary, ComparisonInfo, Page } from '../api/contract.js';
import { StoredTraceSource } from '../store/stored-trace.js';
import type { Store } from '../store/store.js';
import { eventToRow } from '../store/trace-rows.js';

const KEEP = 4;
const MAX_REGISTERS = 500;
const hex = (v: bigint): string => '0x' + v.toString(16);

function side(sv: SideView | undefined): CompareSide | null {
  if (!sv) return null;
  const d = sv.decoded;
  const row = eventToRow(sv.event, () => ({ register: d.block ? `${d.block} · ${d.register}` : d.register, fields: formatFields(d.fields) }));
  return { seq: sv.seq, count: sv.count, row };
}

function item(d: DiffItem): CompareItem {
  return {
    kind: d.kind,
    a: side(d.a),
    b: side(d.b),
    fields: (d.fields ?? []).map((f) => ({
      name: f.name,
      a: hex(f.a),
      b: hex(f.b),
      masked: f.masked,
      ...(f.aText !== undefined ? { aText: f.aText } : {}),
      ...(f.bText !== undefined ? { bText: f.bText } : {}),
    })),
    text: d.text,
  };
}

interface ComparisonRow {
  id: number;
  session_id: number;
  run_a: number;
  run_b: number;
  created_at: string;
  summary: string;
  result: string;
}

const SELECT = 'SELECT id, session_id, run_a, run_b, created_at, summary, result FROM comparisons';

const inputOf = (r: ComparisonRow): CompareInput => (JSON.parse(r.result) as { input: CompareInput }).input;

export class CompareService {
  private readonly results = new Map<number, { input: CompareInput; result: CompareResult }>();
  private readonly insert;
  private readonly getRow;
  private readonly listAll;
  private readonly listSession;

  constructor(private readonly store: Store) {
    this.insert = store.db.prepare<[number, number, number, string, string, string]>(
      'INSERT INTO comparisons (session_id, run_a, run_b, created_at, summary, result) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.getRow = store.db.prepare<[number], ComparisonRow>(`${SELECT} WHERE id = ?`);
    this.listAll = store.db.prepare<[], ComparisonRow>(`${SELECT} ORDER BY id DESC`);
    this.listSession = store.db.prepare<[number], ComparisonRow>(`${SELECT} WHERE session_id = ? ORDER BY id DESC`);
  }

  private compute(input: CompareInput): CompareResult {
    const runA = this.store.runs.get(input.runA);
    if (!runA) throw new ApiError('not-found', `run ${input.runA} does not exist`, 'runA');
    const runB = this.store.runs.get(input.runB);
    if (!runB) throw new ApiError('not-found', `run ${input.runB} does not exist`, 'runB');
    return compareTraces(
      new StoredTraceSource(this.store.chunks, runA.id, runA.eventCount),
      new StoredTraceSource(this.store.chunks, runB.id, runB.eventCount),
      {
        layoutA: this.store.runs.layout(runA.id),
        layoutB: this.store.runs.layout(runB.id),
        resolve: resolveBlock,
        ...(input.masks ? { masks: input.masks } : {}),
        ...(input.nodeMap ? { nodeMap: input.nodeMap } : {}),
      },
    );
  }

  private keep(id: number, input: CompareInput, result: CompareResult): void {
    this.results.delete(id);
    this.results.set(id, { input, result });
    while (this.results.size > KEEP) this.results.delete(this.results.keys().next().value!);
  }

  /** The in-memory result of a saved comparison, recomputed from its saved inputs when evicted. */
  private loaded(compareId: number): { input: CompareInput; result: CompareResult } {
    let hit = this.results.get(compareId);
    if (!hit) {
      const row = this.getRow.get(compareId);
      if (!row) throw new ApiError('not-found', `comparison ${compareId} does not exist`, 'compareId');
      const input = inputOf(row);
      hit = { input, result: this.compute(input) };
    }
    this.keep(compareId, hit.input, hit.result);
    return hit;
  }

  run(input: CompareInput): CompareSummary {
    if (input.rebase) throw new ApiError('bad-input', 'compare.run: rebase: rebasing absolute BAR addresses is not supported yet', 'rebase');
    const r = this.compute(input);
    const sessionId = this.store.runs.get(input.runA)!.sessionId;
    const c = r.counts;
    const line = r.equal ? 'equal' : `${c.valueDiffers} value, ${c.onlyA} only in A, ${c.onlyB} only in B, ${c.pollCountDiffers} poll-count`;
    const id = Number(this.insert.run(sessionId, input.runA, input.runB, new Date().toISOString(), line, JSON.stringify({ input })).lastInsertRowid);
    this.keep(id, input, r);
    return summaryOf(id, input, r);
  }

  get(compareId: number): CompareSummary {
    const { input, result } = this.loaded(compareId);
    return summaryOf(compareId, input, result);
  }

  list(sessionId?: number): ComparisonInfo[] {
    const rows = sessionId === undefined ? this.listAll.all() : this.listSession.all(sessionId);
    return rows.map((r) => {
      const input = inputOf(r);
      return {
        id: r.id,
        sessionId: r.session_id,
        runA: r.run_a,
        runB: r.run_b,
        masks: input.masks ?? [],
        nodeMap: input.nodeMap ?? {},
        createdAt: r.created_at,
        summary: r.summary,
      };
    });
  }

  hunks(compareId: number, offset: number, limit: number): Page<CompareHunk> {
    const r = this.loaded(compareId).result;
    const rows = r.hunksPage(offset, limit).map((h) => ({ index: h.index, items: h.items.map(item) }));
    return { total: r.hunkCount, offset, rows };
  }
}

function summaryOf(id: number, input: CompareInput, r: CompareResult): CompareSummary {
  return {
    compareId: id,
    runA: input.runA,
    runB: input.runB,
    equal: r.equal,
    counts: { ...r.counts },
    events: { ...r.events },
    firstDivergence: r.firstDivergence ? { ...item(r.firstDivergence), hunk: r.firstDivergence.hunk } : null,
    registers: r.registers.slice(0, MAX_REGISTERS).map((x) => ({ ...x })),
    hunkCount: r.hunkCount,
  };
}
