import { describe, expect, test } from 'vitest';
import type { Page, TraceRow } from '../../main/api/contract.js';
import { indexOfSeq, TracePages } from '../../renderer/src/lib/trace-pages.js';

const row = (seq: number): TraceRow => ({
  seq, timeNs: seq, node: 'n', kind: 'access', space: 'mmio', region: 'bar2', offset: seq * 4, width: 4, op: 'R',
  value: '0x0', status: 'ok', register: '', fields: '',
});

/** A fake trace.page over `total` rows whose answers the test releases by hand. */
function fakeServer(total: number) {
  const asked: number[] = [];
  const waiting: (() => void)[] = [];
  const fetch = (offset: number, limit: number) =>
    new Promise<Page<TraceRow>>((resolve) => {
      asked.push(offset);
      waiting.push(() => {
        const rows: TraceRow[] = [];
        for (let i = offset; i < Math.min(total, offset + limit); i++) rows.push(row(i));
        resolve({ total, offset, rows });
      });
    });
  const releaseAll = async () => {
    while (waiting.length) waiting.shift()!();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { fetch, asked, releaseAll };
}

describe('TracePages', () => {
  test('asks for the first page, learns the total, then serves rows from cache', async () => {
    const srv = fakeServer(1000);
    let changes = 0;
    const pages = new TracePages(srv.fetch, () => changes++, { pageSize: 100 });
    expect(pages.total).toBeNull();
    pages.request(0, 1);
    expect(srv.asked).toEqual([0]);
    await srv.releaseAll();
    expect(pages.total).toBe(1000);
    expect(pages.row(42)?.seq).toBe(42);
    expect(changes).toBe(1);
    pages.request(0, 50);
    expect(srv.asked).toEqual([0]); // cached: no second fetch
  });

  test('a page is requested once even when asked for repeatedly while in flight', async () => {
    const srv = fakeServer(1000);
    const pages = new TracePages(srv.fetch, () => {}, { pageSize: 100 });
    pages.request(0, 1);
    await srv.releaseAll();
    pages.request(250, 30);
    pages.request(250, 30);
    pages.request(260, 10);
    expect(srv.asked).toEqual([0, 200]);
  });

  test('never asks past the end of the trace', async () => {
    const srv = fakeServer(150);
    const pages = new TracePages(srv.fetch, () => {}, { pageSize: 100 });
    pages.request(0, 1);
    await srv.releaseAll();
    pages.request(120, 500);
    expect(srv.asked).toEqual([0, 100]);
  });

  test('keeps at most maxPages pages, evicting the least recently used', async () => {
    const srv = fakeServer(10_000);
    const pages = new TracePages(srv.fetch, () => {}, { pageSize: 100, maxPages: 3 });
    pages.request(0, 1);
    await srv.releaseAll();
    for (const p of [1, 2]) {
      pages.request(p * 100, 1);
      await srv.releaseAll();
    }
    pages.request(0, 1); // touch page 0 so page 1 is the oldest
    pages.request(300, 1);
    await srv.releaseAll();
    expect(pages.row(0)).toBeDefined();
    expect(pages.row(100)).toBeUndefined();
    expect(pages.row(200)).toBeDefined();
    expect(pages.row(300)).toBeDefined();
  });

  test('a fast scroll only fetches where the view ended up, maxInFlight at a time', async () => {
    const srv = fakeServer(1_000_000);
    const pages = new TracePages(srv.fetch, () => {}, { pageSize: 100, maxInFlight: 2 });
    pages.request(0, 1);
    await srv.releaseAll();
    pages.request(1000, 300); // pages 10..13: two go out now
    pages.request(500_000, 50); // the view moved on before they answered
    expect(srv.asked).toEqual([0, 1000, 1100]);
    await srv.releaseAll();
    expect(srv.asked).toEqual([0, 1000, 1100, 500_000]);
  });

  test('answers that arrive after reset are ignored', async () => {
    const srv = fakeServer(1000);
    let changes = 0;
    const pages = new TracePages(srv.fetch, () => changes++, { pageSize: 100 });
    pages.request(0, 1);
    pages.reset();
    await srv.releaseAll();
    expect(pages.total).toBeNull();
    expect(pages.row(0)).toBeUndefined();
    expect(changes).toBe(0);
  });

  test('refresh refetches the page in view and the partial last page of a growing run', async () => {
    let total = 150;
    const asked: number[] = [];
    const fetch = async (offset: number, limit: number) => {
      asked.push(offset);
      const rows: TraceRow[] = [];
      for (let i = offset; i < Math.min(total, offset + limit); i++) rows.push(row(i));
      return { total, offset, rows };
    };
    const pages = new TracePages(fetch, () => {}, { pageSize: 100 });
    pages.request(0, 200);
    await new Promise((r) => setTimeout(r, 0));
    pages.request(100, 1);
    await new Promise((r) => setTimeout(r, 0));
    expect(pages.row(149)).toBeDefined();
    expect(pages.row(160)).toBeUndefined();
    total = 400;
    pages.refresh(0);
    await new Promise((r) => setTimeout(r, 0));
    expect(pages.total).toBe(400);
    pages.request(100, 100);
    await new Promise((r) => setTimeout(r, 0));
    expect(pages.row(160)?.seq).toBe(160);
  });

  test('a failed fetch is reported and can be retried', async () => {
    let fail = true;
    const pages = new TracePages(
      async (offset) => {
        if (fail) throw new Error('link down');
        return { total: 10, offset, rows: [row(0)] };
      },
      () => {},
      { pageSize: 100 },
    );
    pages.request(0, 1);
    await new Promise((r) => setTimeout(r, 0));
    expect((pages.error as Error).message).toBe('link down');
    fail = false;
    pages.request(0, 1);
    await new Promise((r) => setTimeout(r, 0));
    expect(pages.error).toBeNull();
    expect(pages.row(0)?.seq).toBe(0);
  });
});

describe('indexOfSeq', () => {
  const serve = (seqs: number[]) => {
    let calls = 0;
    const fetch = async (offset: number, limit: number) => {
      calls++;
      return { total: seqs.length, offset, rows: seqs.slice(offset, offset + limit).map(row) };
    };
    return { fetch, calls: () => calls };
  };

  test('an unfiltered trace finds the row in two probes', async () => {
    const seqs = Array.from({ length: 100_000 }, (_, i) => i + 5);
    const s = serve(seqs);
    expect(await indexOfSeq(s.fetch, seqs.length, 70_005)).toBe(70_000);
    expect(s.calls()).toBe(2);
  });

  test('a filtered trace (gaps in seq) finds the first row at or after the seq', async () => {
    const seqs = Array.from({ length: 5000 }, (_, i) => i * 7);
    const s = serve(seqs);
    expect(await indexOfSeq(s.fetch, seqs.length, 700)).toBe(100);
    expect(await indexOfSeq(s.fetch, seqs.length, 701)).toBe(101);
    expect(await indexOfSeq(s.fetch, seqs.length, 0)).toBe(0);
    expect(await indexOfSeq(s.fetch, seqs.length, 10 ** 9)).toBe(4999);
  });
});
