// The steps table: each sequence step of a run with its verdict, in the order recorded.

import type Database from 'better-sqlite3';
import type { Verdict } from '../../common/trace-sink.js';
import type { Step } from '../api/contract.js';

interface StepRow {
  seq: number;
  name: string;
  verdict: Verdict;
  reason: string;
  evidence: string | null;
  event_seq: number;
}

export class StepsRepo {
  private readonly insertStmt;
  private readonly listStmt;
  private readonly nextSeqStmt;

  constructor(db: Database.Database) {
    this.insertStmt = db.prepare<[number, number, string, Verdict, string, string | null, number]>(
      'INSERT INTO steps (run_id, seq, name, verdict, reason, evidence, event_seq) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.listStmt = db.prepare<[number], StepRow>(
      'SELECT seq, name, verdict, reason, evidence, event_seq FROM steps WHERE run_id = ? ORDER BY seq',
    );
    this.nextSeqStmt = db.prepare<[number], { n: number }>('SELECT COALESCE(MAX(seq) + 1, 0) AS n FROM steps WHERE run_id = ?');
  }

  /** Call inside the caller's transaction for batching. */
  insert(runId: number, s: Step): void {
    this.insertStmt.run(runId, s.seq, s.name, s.verdict, s.reason, s.evidence, s.eventSeq);
  }

  list(runId: number): Step[] {
    return this.listStmt.all(runId).map((r) => ({
      seq: r.seq,
      name: r.name,
      verdict: r.verdict,
      reason: r.reason,
      evidence: r.evidence,
      eventSeq: r.event_seq,
    }));
  }

  nextSeq(runId: number): number {
    return this.nextSeqStmt.get(runId)!.n;
  }
}
