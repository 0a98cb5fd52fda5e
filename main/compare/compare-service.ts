// Comparing two stored runs (DESIGN.md 5) for the API and the CLI: trace/compare over StoredTraceSources with
// each run's own layout, the summary saved in the comparisons table, and the full result kept in memory (a
// few at a time) so hunks page without recomputing; an evicted or pre-restart comparison is recomputed from
// its saved inputs. The API's async forms (runAsync/getAsync/hunksAsync) compare runs of more than
// WORKER_EVENTS events together in a worker (compare-job.ts) and keep a window of hunks from it.

import { resolveBlock } from '../../emulator/spec/blocks.js';
import { formatFields } from '../../trace/decode.js';
import { compareTraces, moveText, type CompareResult, type DiffItem, type SideView } from '../../trace/compare/index.js';
import { ApiError } from '../api/api-error.js';
import type { CompareHunk, CompareInput, CompareItem, CompareSide, CompareSummary, ComparisonInfo, Page } from '../api/contract.js';
import { StoredTraceSource } from '../store/stored-trace.js';
import type { Store } from '../store/store.js';
import { eventToRow } from '../store/trace-rows.js';
import { barRebaseRules } from './bar-rebase.js';
import { compareInWorker } from './compare-job.js';

const KEEP = 4;
/** Above this many events (A + B) the API compares in a worker: ~0.2-0.5 s of main-thread time on one core. */
export const WORKER_EVENTS = 200_000;
/** Hunks a worker materialises per job (one UI screenful is ~50; paging past the window runs another job). */
const HUNK_WINDOW = 2000;
const MAX_REGISTERS = 500;
const MAX_STRUCTURES = 1000;
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
  private readonly saveSummaryStmt;
  private readonly listAll;
  private readonly listSession;

  constructor(private readonly store: Store) {
    // Inputs also as columns, and the summary as JSON (migration 0004).
    this.insert = store.db.prepare<[number, number, number, string, string, string, string, string, string]>(
      `INSERT INTO comparisons (session_id, run_a, run_b, created_at, summary, result, masks, node_map, options)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.saveSummaryStmt = store.db.prepare<[string, number]>('UPDATE comparisons SET summary_json = ? WHERE id = ?');
    this.getRow = store.db.prepare<[number], ComparisonRow>(`${SELECT} WHERE id = ?`);
    this.listAll = store.db.prepare<[], ComparisonRow>(`${SELECT} ORDER BY id DESC`);
    this.listSession = store.db.prepare<[number], ComparisonRow>(`${SELECT} WHERE session_id = ? ORDER BY id DESC`);
  }

  private compute(input: CompareInput): CompareResult {
    const runA = this.store.runs.get(input.runA);
    if (!runA) throw new ApiError('not-found', `run ${input.runA} does not exist`, 'runA');
    const runB = this.store.runs.get(input.runB);
    if (!runB) throw new ApiError('not-found', `run ${input.runB} does not exist`, 'runB');
    const srcA = new StoredTraceSource(this.store.chunks, runA.id, runA.eventCount);
    const srcB = new StoredTraceSource(this.store.chunks, runB.id, runB.eventCount);
    // rebase: absolute BAR addresses -> BAR-relative, from the BAR programming each trace shows (bar-rebase.ts).
    const rebase = input.rebase ? { rebaseA: barRebaseRules(srcA), rebaseB: barRebaseRules(srcB) } : {};
    return compareTraces(
      srcA,
      srcB,
      {
        ...rebase,
        layoutA: this.store.runs.layout(runA.id),
        layoutB: this.store.runs.layout(runB.id),
        resolve: resolveBlock,
        ...(input.masks ? { masks: input.masks } : {}),
        ...(input.nodeMap ? { nodeMap: input.nodeMap } : {}),
        ...(input.align ? { align: input.align } : {}),
        ...(input.node ? { node: input.node } : {}),
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
    const r = this.compute(input);
    const sessionId = this.store.runs.get(input.runA)!.sessionId;
    const c = r.counts;
    const line = r.equal ? 'equal' : `${c.valueDiffers} value, ${c.onlyA} only in A, ${c.onlyB} only in B, ${c.pollCountDiffers} poll-count`;
    const id = this.save(sessionId, input, line);
    this.keep(id, input, r);
    const summary = summaryOf(id, input, r);
    this.saveSummaryStmt.run(JSON.stringify(summary), id);
    return summary;
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

  private save(sessionId: number, input: CompareInput, line: string): number {
    const at = new Date().toISOString();
    const options = JSON.stringify({ rebase: input.rebase ?? false, align: input.align ?? 'node', ...(input.node ? { node: input.node } : {}) });
    const info = this.insert.run(sessionId, input.runA, input.runB, at, line, JSON.stringify({ input }), JSON.stringify(input.masks ?? []), JSON.stringify(input.nodeMap ?? {}), options);
    return Number(info.lastInsertRowid);
  }

  /** Compute without saving: the summary (compareId 0) and hunks [offset, offset + limit) — a worker's job. */
  evaluate(input: CompareInput, offset: number, limit: number): { summary: CompareSummary; hunks: CompareHunk[] } {
    const r = this.compute(input);
    return { summary: summaryOf(0, input, r), hunks: r.hunksPage(offset, limit).map((h) => ({ index: h.index, items: h.items.map(item) })) };
  }

  private readonly windows = new Map<number, { summary: CompareSummary; offset: number; hunks: CompareHunk[] }>();
  /** Event count (A + B) above which the async forms use a worker (tests lower it). */
  workerEvents = WORKER_EVENTS;

  private big(input: CompareInput): boolean {
    if (this.store.path === ':memory:' || this.store.path === '') return false;
    const n = (id: number): number => this.store.runs.get(id)?.eventCount ?? 0;
    return n(input.runA) + n(input.runB) > this.workerEvents;
  }

  private async window(compareId: number, input: CompareInput, offset: number): Promise<{ summary: CompareSummary; offset: number; hunks: CompareHunk[] }> {
    const w = this.windows.get(compareId);
    if (w && offset >= w.offset && offset < w.offset + w.hunks.length) return w;
    const from = Math.max(0, offset - (offset % HUNK_WINDOW));
    const r = await compareInWorker({ dbPath: this.store.path, input, hunkOffset: from, hunkLimit: HUNK_WINDOW });
    const next = { summary: { ...r.summary, compareId }, offset: from, hunks: r.hunks };
    this.windows.delete(compareId);
    this.windows.set(compareId, next);
    while (this.windows.size > KEEP) this.windows.delete(this.windows.keys().next().value!);
    return next;
  }

  /** compare.run: like run(), in a worker when the runs are large. */
  async runAsync(input: CompareInput): Promise<CompareSummary> {
    if (!this.big(input)) return this.run(input);
    const runA = this.store.runs.get(input.runA)!;
    const r = await compareInWorker({ dbPath: this.store.path, input, hunkOffset: 0, hunkLimit: HUNK_WINDOW });
    const c = r.summary.counts;
    const line = r.summary.equal ? 'equal' : `${c.valueDiffers} value, ${c.onlyA} only in A, ${c.onlyB} only in B, ${c.pollCountDiffers} poll-count`;
    const id = this.save(runA.sessionId, input, line);
    const summary = { ...r.summary, compareId: id };
    this.saveSummaryStmt.run(JSON.stringify(summary), id);
    this.windows.set(id, { summary, offset: 0, hunks: r.hunks });
    return summary;
  }

  private savedInput(compareId: number): CompareInput {
    const row = this.getRow.get(compareId);
    if (!row) throw new ApiError('not-found', `comparison ${compareId} does not exist`, 'compareId');
    return inputOf(row);
  }

  /** compare.get: like get(), in a worker when the runs are large and the result is not in memory. */
  async getAsync(compareId: number): Promise<CompareSummary> {
    if (this.results.has(compareId)) return this.get(compareId);
    const input = this.savedInput(compareId);
    if (!this.big(input)) return this.get(compareId);
    return (await this.window(compareId, input, this.windows.get(compareId)?.offset ?? 0)).summary;
  }

  /** compare.hunks: like hunks(), from a worker's window of hunks when the runs are large. */
  async hunksAsync(compareId: number, offset: number, limit: number): Promise<Page<CompareHunk>> {
    if (this.results.has(compareId)) return this.hunks(compareId, offset, limit);
    const input = this.savedInput(compareId);
    if (!this.big(input)) return this.hunks(compareId, offset, limit);
    const first = await this.window(compareId, input, offset);
    const total = first.summary.hunkCount;
    const rows: CompareHunk[] = [];
    for (let h = offset; h < Math.min(total, offset + limit); ) {
      const w = await this.window(compareId, input, h);
      const slice = w.hunks.slice(h - w.offset, Math.min(w.hunks.length, offset + limit - w.offset));
      if (!slice.length) break;
      rows.push(...slice);
      h += slice.length;
    }
    return { total, offset, rows };
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
    alignment: { ...r.alignment },
    devices: r.devices.map((d) => ({ ...d })),
    structures: r.structures.slice(0, MAX_STRUCTURES).map((x) => ({ ...x })),
    moves: r.moves.map((m) => ({ ...m, text: moveText(m) })),
    hunkCount: r.hunkCount,
  };
}
