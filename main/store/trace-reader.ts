// trace.page over stored chunks: decode only the chunks a page needs (a small LRU keeps recently decoded ones
// for scrolling), and for a filtered view scan the run once and keep the matching seqs, so paging through a
// filtered 1 M-event run costs one scan, not one per page.

import { SPACES, STATUSES } from '../../common/access.js';
import { chunkRecord, decodeChunk, decodeChunkColumns, type ChunkColumns } from '../../trace/chunk-codec.js';
import type { TraceEvent } from '../../trace/event.js';
import type { Layout } from '../../common/layout.js';
import type { Page, TraceFilter, TraceRow } from '../api/contract.js';
import type { EventChunksRepo, StoredChunk } from './event-chunks-repo.js';
import { eventFilter, eventToRow, isEmptyFilter, noDecode, rowFilter, type RowDecoder } from './trace-rows.js';

export type DecoderFactory = (layout: Layout) => RowDecoder;

interface RunView {
  nodes: string[];
  decode: RowDecoder;
  events: number;
  /** Nodes in the layout the decoder was built from; 0 until a live run has stored its layout. */
  layoutNodes: number;
}

const CHUNK_CACHE = 32;
const FILTER_CACHE = 8;

export class TraceReader {
  private readonly chunkCache = new Map<string, TraceEvent[]>();
  private readonly filterCache = new Map<string, Uint32Array>();
  private readonly views = new Map<number, RunView>();

  constructor(
    private readonly chunks: EventChunksRepo,
    private readonly layoutOf: (runId: number) => Layout,
    private readonly decoderFor: DecoderFactory = () => noDecode,
  ) {}

  /** Rows [offset, offset+limit) of the run, or of the rows matching `filter`. */
  page(runId: number, eventCount: number, offset: number, limit: number, filter?: TraceFilter): Page<TraceRow> {
    const view = this.view(runId, eventCount);
    if (isEmptyFilter(filter)) {
      const to = Math.min(eventCount, offset + limit);
      return { total: eventCount, offset, rows: this.events(runId, view, offset, to).map((e) => eventToRow(e, view.decode)) };
    }
    const seqs = this.matching(runId, view, eventCount, filter!);
    const rows: TraceRow[] = [];
    const end = Math.min(seqs.length, offset + limit);
    // Matching seqs are ascending; fetch them chunk by chunk.
    let i = offset;
    while (i < end) {
      const from = seqs[i];
      let j = i;
      while (j < end && seqs[j] < from + 4096) j++;
      const evs = this.events(runId, view, from, seqs[j - 1] + 1);
      const bySeq = new Map(evs.map((e) => [e.seq, e]));
      for (let k = i; k < j; k++) {
        const e = bySeq.get(seqs[k]);
        if (e) rows.push(eventToRow(e, view.decode));
      }
      i = j;
    }
    return { total: seqs.length, offset, rows };
  }

  /** Forget cached data of a run (deleted, or rewritten). */
  forget(runId: number): void {
    this.views.delete(runId);
    for (const k of [...this.chunkCache.keys()]) if (k.startsWith(`${runId}:`)) this.chunkCache.delete(k);
    for (const k of [...this.filterCache.keys()]) if (k.startsWith(`${runId}|`)) this.filterCache.delete(k);
  }

  private view(runId: number, eventCount: number): RunView {
    let v = this.views.get(runId);
    // Nodes grow while a run records: refresh when the event count moved. A run read while live may not have
    // stored its layout yet: keep looking for it until it appears, then build the decoder once.
    if (!v || v.events !== eventCount || v.layoutNodes === 0) {
      const layout = v && v.layoutNodes > 0 ? null : this.layoutOf(runId);
      const decode = layout && (layout.length > 0 || !v) ? this.decoderFor(layout) : v!.decode;
      const layoutNodes = layout ? layout.length : v!.layoutNodes;
      v = { nodes: this.chunks.nodes(runId), decode, events: eventCount, layoutNodes };
      this.views.set(runId, v);
    }
    return v;
  }

  private decoded(runId: number, view: RunView, c: StoredChunk): TraceEvent[] {
    const key = `${runId}:${c.firstSeq}`;
    let evs = this.chunkCache.get(key);
    if (evs) {
      this.chunkCache.delete(key);
    } else {
      evs = decodeChunk(c.bytes, view.nodes, c.firstSeq);
      if (this.chunkCache.size >= CHUNK_CACHE) this.chunkCache.delete(this.chunkCache.keys().next().value!);
    }
    this.chunkCache.set(key, evs);
    return evs;
  }

  private events(runId: number, view: RunView, from: number, to: number): TraceEvent[] {
    if (to <= from) return [];
    const out: TraceEvent[] = [];
    for (const c of this.chunks.range(runId, from, to)) {
      const evs = this.decoded(runId, view, c);
      const lo = Math.max(0, from - c.firstSeq);
      const hi = Math.min(c.count, to - c.firstSeq);
      for (let i = lo; i < hi; i++) out.push(evs[i]);
    }
    return out;
  }

  private matching(runId: number, view: RunView, eventCount: number, filter: TraceFilter): Uint32Array {
    const key = `${runId}|${eventCount}|${view.layoutNodes}|${JSON.stringify(filter)}`;
    let seqs = this.filterCache.get(key);
    if (seqs) return seqs;
    const hits: number[] = [];
    const onColumns = columnFilter(filter, view.nodes);
    if (onColumns) {
      // No text: decide on the decoded columns (no event objects; record JSON parsed only for a status test).
      let cols: ChunkColumns | undefined;
      for (const c of this.chunks.all(runId)) {
        if (c.firstSeq >= eventCount) break;
        cols = decodeChunkColumns(c.bytes, view.nodes.length, c.firstSeq, cols, true);
        const n = Math.min(cols.count, eventCount - c.firstSeq);
        for (let i = 0; i < n; i++) if (onColumns(cols, i)) hits.push(c.firstSeq + i);
      }
    } else {
      const byRow = rowFilter(filter);
      const keep = eventFilter(filter) ?? ((e: TraceEvent) => byRow(eventToRow(e, view.decode)));
      for (const c of this.chunks.all(runId)) {
        if (c.firstSeq >= eventCount) break;
        for (const e of decodeChunk(c.bytes, view.nodes, c.firstSeq)) if (e.seq < eventCount && keep(e)) hits.push(e.seq);
      }
    }
    seqs = Uint32Array.from(hits);
    if (this.filterCache.size >= FILTER_CACHE) this.filterCache.delete(this.filterCache.keys().next().value!);
    this.filterCache.set(key, seqs);
    return seqs;
  }
}

/**
 * eventFilter (trace-rows.ts) on decoded chunk columns, for filters without text: node by a per-node-index
 * table, space/op/status by packed code (packed-codes.ts), a record's status (return name, verdict) from its
 * JSON only when the other parts already matched. Null when the filter needs the decoded row (text).
 */
export function columnFilter(f: TraceFilter, nodes: readonly string[]): ((cols: ChunkColumns, i: number) => boolean) | null {
  if (f.text) return null;
  const fNode = f.node;
  const nodeOk = new Uint8Array(nodes.length);
  for (let n = 0; n < nodes.length; n++) nodeOk[n] = !fNode || nodes[n] === fNode || nodes[n].startsWith(fNode + '.') ? 1 : 0;
  // -1: no test; -2: nothing matches (a value no access has).
  const space = f.space ? SPACES.indexOf(f.space as (typeof SPACES)[number]) : -1;
  const wantSpace = f.space ? (space < 0 ? -2 : space) : -1;
  const wantOp = f.op ? (f.op === 'W' ? 1 : f.op === 'R' ? 0 : -2) : -1;
  const status = f.status ? STATUSES.indexOf(f.status as (typeof STATUSES)[number]) : -1;
  const wantStatus = f.status ? (status < 0 ? -2 : status) : -1;
  const statusText = f.status;
  return (cols, i) => {
    const c = cols.code[i];
    const kind = c & 3;
    if (kind === 2) {
      // A step: node '' and space '' never match a set filter; op only matches accesses.
      if (fNode || wantSpace !== -1 || wantOp !== -1) return false;
      return !statusText || (chunkRecord(cols, i) as { verdict?: string }).verdict === statusText;
    }
    if (!nodeOk[cols.node[i]]) return false;
    if (kind === 1) {
      if (wantSpace !== -1 || wantOp !== -1) return false;
      return !statusText || (chunkRecord(cols, i) as { returnName?: string }).returnName === statusText;
    }
    if (wantSpace !== -1 && ((c >> 2) & 3) !== wantSpace) return false;
    if (wantOp !== -1 && ((c >> 8) & 1) !== wantOp) return false;
    if (wantStatus !== -1 && ((c >> 9) & 7) !== wantStatus) return false;
    return true;
  };
}
