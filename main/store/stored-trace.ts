// A stored run's trace as a trace/ TraceSource (random access by seq), for compare and streaming export
// without loading the run at once. Decoded chunks are cached a few at a time (sources are read in order).

import { decodeChunk } from '../../trace/chunk-codec.js';
import type { TraceEvent, TraceSource } from '../../trace/event.js';
import type { EventChunksRepo } from './event-chunks-repo.js';

export class StoredTraceSource implements TraceSource {
  private readonly nodes: string[];
  private cached: { firstSeq: number; events: TraceEvent[] } | null = null;

  constructor(
    private readonly chunks: EventChunksRepo,
    private readonly runId: number,
    readonly count: number,
  ) {
    this.nodes = chunks.nodes(runId);
  }

  events(from: number, to: number): TraceEvent[] {
    const lo = Math.max(0, from);
    const hi = Math.min(this.count, to);
    if (hi <= lo) return [];
    const c = this.cached;
    if (c && lo >= c.firstSeq && hi <= c.firstSeq + c.events.length) return c.events.slice(lo - c.firstSeq, hi - c.firstSeq);
    const out: TraceEvent[] = [];
    for (const chunk of this.chunks.range(this.runId, lo, hi)) {
      const evs = decodeChunk(chunk.bytes, this.nodes, chunk.firstSeq);
      this.cached = { firstSeq: chunk.firstSeq, events: evs };
      const a = Math.max(0, lo - chunk.firstSeq);
      const b = Math.min(chunk.count, hi - chunk.firstSeq);
      for (let i = a; i < b; i++) out.push(evs[i]);
    }
    return out;
  }
}
