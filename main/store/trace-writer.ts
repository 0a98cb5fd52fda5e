// The write path of a run's trace (DESIGN.md 6, 7): sealed chunks, newly interned nodes and steps go to the
// database in ONE transaction per batch through statements prepared once, and the run's event_count moves in
// the same transaction — so after a crash the stored count always matches the committed chunks.

import type Database from 'better-sqlite3';
import type { EncodedChunk } from '../../trace/event.js';
import type { Step } from '../api/contract.js';

export interface TraceBatch {
  /** Sealed chunks in seq order (may be empty). */
  chunks: readonly EncodedChunk[];
  /** The full node list so far (index = node id); only entries not yet written are inserted. */
  nodes: readonly string[];
  steps: readonly Step[];
}

export class RunTraceWriter {
  private readonly insertChunk;
  private readonly insertNode;
  private readonly insertStep;
  private readonly bumpCount;
  private readonly writeTx;
  private nodesWritten = 0;
  private events = 0;

  constructor(
    db: Database.Database,
    readonly runId: number,
  ) {
    this.insertChunk = db.prepare<[number, number, number, Uint8Array]>(
      'INSERT INTO event_chunks (run_id, first_seq, count, bytes) VALUES (?, ?, ?, ?)',
    );
    this.insertNode = db.prepare<[number, number, string]>('INSERT INTO run_nodes (run_id, node_index, path) VALUES (?, ?, ?)');
    this.insertStep = db.prepare<[number, number, string, string, string, string | null, number]>(
      'INSERT INTO steps (run_id, seq, name, verdict, reason, evidence, event_seq) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.bumpCount = db.prepare<[number, number]>('UPDATE runs SET event_count = ? WHERE id = ?');
    this.writeTx = db.transaction((b: TraceBatch) => {
      for (let i = this.nodesWritten; i < b.nodes.length; i++) this.insertNode.run(this.runId, i, b.nodes[i]);
      let events = this.events;
      for (const c of b.chunks) {
        this.insertChunk.run(this.runId, c.firstSeq, c.count, c.bytes);
        events = c.firstSeq + c.count;
      }
      for (const s of b.steps) this.insertStep.run(this.runId, s.seq, s.name, s.verdict, s.reason, s.evidence, s.eventSeq);
      if (events !== this.events) this.bumpCount.run(events, this.runId);
      return events;
    });
  }

  /** Events committed so far by this writer. */
  get committed(): number {
    return this.events;
  }

  /** Write one batch atomically. */
  write(b: TraceBatch): void {
    if (b.chunks.length === 0 && b.steps.length === 0 && b.nodes.length === this.nodesWritten) return;
    this.events = this.writeTx(b);
    this.nodesWritten = b.nodes.length;
  }
}
