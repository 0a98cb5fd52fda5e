// The on-disk size bar (DESIGN.md 7: ≤ 40 bytes per event in the store), measured on a realistic synthetic
// run: chunks of 4096 events from TraceBuffer.sealChunk stored as SQLite BLOBs, file size divided by events.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../common/clock.js';
import { decodeChunk } from '../../trace/chunk-codec.js';
import { emitSyntheticTrace } from '../../trace/synthetic.js';
import { TraceBuffer } from '../../trace/trace-buffer.js';

const EVENTS = 200_000;

describe('chunk size on a realistic trace', () => {
  const clock = new VirtualClock();
  const buf = new TraceBuffer(clock);
  const chunks: { firstSeq: number; count: number; bytes: Uint8Array }[] = [];
  let emitted = 0;
  while (emitted < EVENTS) {
    emitted += emitSyntheticTrace(buf, clock, { events: 4096, seed: 11 + emitted });
    chunks.push(buf.sealChunk()!);
  }

  it('encodes access-heavy traffic in under 15 bytes per event', () => {
    const bytes = chunks.reduce((s, c) => s + c.bytes.length, 0);
    expect(bytes / buf.count).toBeLessThan(15);
  });

  it('stays within 40 bytes per event including SQLite overhead, and decodes back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trace-size-'));
    try {
      const path = join(dir, 't.db');
      const db = new Database(path);
      db.exec('CREATE TABLE chunks (run_id INTEGER, first_seq INTEGER, count INTEGER, bytes BLOB, PRIMARY KEY (run_id, first_seq))');
      const ins = db.prepare('INSERT INTO chunks VALUES (1, ?, ?, ?)');
      db.transaction(() => {
        for (const c of chunks) ins.run(c.firstSeq, c.count, c.bytes);
      })();
      const row = db.prepare('SELECT bytes FROM chunks WHERE first_seq = ?').get(chunks[7].firstSeq) as { bytes: Buffer };
      const back = decodeChunk(new Uint8Array(row.bytes), buf.nodes, chunks[7].firstSeq);
      expect(back).toEqual(buf.events(chunks[7].firstSeq, chunks[7].firstSeq + chunks[7].count));
      db.close();
      expect(statSync(path).size / buf.count).toBeLessThan(40);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
