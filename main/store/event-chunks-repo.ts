// The run_nodes and event_chunks tables: a run's trace as sealed chunk BLOBs (trace/chunk-codec.ts) and the
// node index -> topology path map the chunks refer to. Writes go through trace-writer.ts (batched).

import type Database from 'better-sqlite3';

export interface StoredChunk {
  firstSeq: number;
  count: number;
  bytes: Uint8Array;
}

interface ChunkRow {
  first_seq: number;
  count: number;
  bytes: Uint8Array;
}

const toChunk = (r: ChunkRow): StoredChunk => ({ firstSeq: r.first_seq, count: r.count, bytes: r.bytes });

export class EventChunksRepo {
  private readonly nodesStmt;
  private readonly rangeStmt;
  private readonly allStmt;
  private readonly totalStmt;

  constructor(db: Database.Database) {
    this.nodesStmt = db.prepare<[number], { path: string }>('SELECT path FROM run_nodes WHERE run_id = ? ORDER BY node_index');
    // Chunks overlapping [from, to): those starting before `to`, from the last one starting at or before `from`.
    this.rangeStmt = db.prepare<[number, number, number, number], ChunkRow>(
      `SELECT first_seq, count, bytes FROM event_chunks
       WHERE run_id = ? AND first_seq < ?
         AND first_seq >= COALESCE((SELECT MAX(first_seq) FROM event_chunks WHERE run_id = ? AND first_seq <= ?), 0)
       ORDER BY first_seq`,
    );
    this.allStmt = db.prepare<[number], ChunkRow>('SELECT first_seq, count, bytes FROM event_chunks WHERE run_id = ? ORDER BY first_seq');
    this.totalStmt = db.prepare<[number], { n: number }>('SELECT COALESCE(SUM(count), 0) AS n FROM event_chunks WHERE run_id = ?');
  }

  /** Node index -> topology path for decodeChunk. */
  nodes(runId: number): string[] {
    return this.nodesStmt.all(runId).map((r) => r.path);
  }

  /** Chunks holding any event with seq in [from, to), in seq order. */
  range(runId: number, from: number, to: number): StoredChunk[] {
    return this.rangeStmt.all(runId, to, runId, from).map(toChunk);
  }

  /** Every chunk of the run in seq order, one at a time (streaming export, filtered paging). */
  *all(runId: number): Generator<StoredChunk> {
    for (const r of this.allStmt.iterate(runId)) yield toChunk(r);
  }

  /** Events committed for the run (sum of chunk counts). */
  committedEvents(runId: number): number {
    return this.totalStmt.get(runId)!.n;
  }
}
