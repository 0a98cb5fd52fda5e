// Issue 15, findings 4, 11 and 15: exports read back in chunks (what the browser saves as a download), imports
// uploaded in chunks then stored in batches with progress events and a cancel, a malformed line named by its line
// number with nothing kept, run deletion, and sessions.import reading only from the bench's data directory.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../main/api/api-error.js';
import type { ImportProgress, ServerEvent } from '../../main/api/contract.js';
import { callApi } from '../../main/api/table.js';
import type { Services } from '../../main/services/services.js';
import { tempServices } from '../api/helpers.js';

let env: Awaited<ReturnType<typeof tempServices>>;
let s: Services;
let sessionId: number;
let runId: number;
const events: ServerEvent[] = [];

beforeAll(async () => {
  env = await tempServices();
  s = env.services;
  s.hub.subscribe((e) => events.push(e));
  sessionId = (await callApi(s, 'sessions.create', { name: 'transfer' })).id;
  runId = (await callApi(s, 'runs.start', { sessionId, topology: 'single', sequence: 'linux-probe' })).id;
  await s.runs.wait(runId);
});
afterAll(() => env.dispose());

async function download(input: { runId?: number; sessionId?: number; format?: 'csv' | 'jsonl' | 'vcd' }): Promise<{ name: string; bytes: Buffer }> {
  const x = await callApi(s, 'transfer.export', input);
  const parts: Buffer[] = [];
  for (let offset = 0; ; ) {
    const c = await callApi(s, 'transfer.read', { id: x.id, offset, length: 64 << 10 });
    const b = Buffer.from(c.data, 'base64');
    parts.push(b);
    offset += b.length;
    if (c.done) break;
  }
  return { name: x.name, bytes: Buffer.concat(parts) };
}

async function upload(name: string, bytes: Buffer, chunk = 50_000): Promise<string> {
  const t = await callApi(s, 'transfer.begin', { name, total: bytes.length });
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    await callApi(s, 'transfer.append', { id: t.id, offset, data: bytes.subarray(offset, offset + chunk).toString('base64') });
  }
  return t.id;
}

function finished(id: string): Promise<ImportProgress> {
  return new Promise((resolve) => {
    const off = s.hub.subscribe((e) => {
      if (e.type === 'transfer.progress' && e.progress.id === id && ['done', 'error', 'cancelled'].includes(e.progress.phase)) {
        off();
        resolve(e.progress);
      }
    });
  });
}

describe('chunked transfers', () => {
  it('an export comes back in chunks, named for a download; the file is removed after the last chunk', async () => {
    const d = await download({ runId, format: 'csv' });
    expect(d.name).toBe(`run-${runId}-linux-probe.csv`);
    expect(d.bytes.toString('utf8').split('\n')[0]).toMatch(/^seq,/);
    await expect(callApi(s, 'transfer.read', { id: '0'.repeat(24), offset: 0, length: 10 })).rejects.toThrow(/no export/);
  });

  it('a CSV uploaded in chunks imports in batches with progress; the run equals the original', async () => {
    const csv = (await download({ runId, format: 'csv' })).bytes;
    const id = await upload('probe.csv', csv);
    const before = events.length;
    const done = finished(id);
    const first = await callApi(s, 'transfer.finish', { id, target: { kind: 'trace', sessionId, format: 'csv' } });
    expect(first.phase).toBe('parse');
    const p = await done;
    expect(p.phase, p.message).toBe('done');
    const original = await callApi(s, 'runs.get', { id: runId });
    expect(p.run!.eventCount).toBe(original.eventCount);
    expect(p.run!.topology).toBe('single');
    expect(events.slice(before).filter((e) => e.type === 'transfer.progress').length).toBeGreaterThan(1);
    const page = await callApi(s, 'trace.page', { runId: p.run!.id, offset: 0, limit: 20 });
    expect(page.rows.find((r) => r.kind === 'access')!.register).not.toBe('');
  });

  it('a malformed line in a later batch is named by its file line; nothing of the import is kept', async () => {
    const good = (await download({ runId, format: 'jsonl' })).bytes.toString('utf8').split('\n').filter(Boolean);
    const lines: string[] = [];
    while (lines.length < 40_000) lines.push(...good);
    lines[33_333] = '{"seq": oops';
    const runsBefore = (await callApi(s, 'runs.list', { sessionId })).length;
    const id = await upload('bad.jsonl', Buffer.from(lines.join('\n') + '\n'), 4 << 20);
    const done = finished(id);
    await callApi(s, 'transfer.finish', { id, target: { kind: 'trace', sessionId, format: 'jsonl' } });
    const p = await done;
    expect(p.phase).toBe('error');
    expect(p.message).toMatch(/bad\.jsonl: line 33334: not valid JSON/);
    expect((await callApi(s, 'runs.list', { sessionId })).length).toBe(runsBefore);
  });

  it('cancel stops an import and keeps nothing', async () => {
    const good = (await download({ runId, format: 'csv' })).bytes.toString('utf8').split('\n').filter(Boolean);
    const lines = [good[0]!];
    while (lines.length < 200_000) lines.push(...good.slice(1));
    const runsBefore = (await callApi(s, 'runs.list', { sessionId })).length;
    const id = await upload('big.csv', Buffer.from(lines.join('\n') + '\n'), 4 << 20);
    const done = finished(id);
    await callApi(s, 'transfer.finish', { id, target: { kind: 'trace', sessionId, format: 'csv' } });
    expect(await callApi(s, 'transfer.cancel', { id })).toEqual({ cancelled: true });
    expect((await done).phase).toBe('cancelled');
    expect((await callApi(s, 'runs.list', { sessionId })).length).toBe(runsBefore);
  });

  it('an upload that skips bytes is refused by offset', async () => {
    const t = await callApi(s, 'transfer.begin', { name: 'x.csv', total: 10 });
    await expect(callApi(s, 'transfer.append', { id: t.id, offset: 5, data: 'AAAA' })).rejects.toThrow(/offset: expected 0/);
  });

  it('a session downloads and uploads back as a new session', async () => {
    const d = await download({ sessionId });
    expect(d.name).toBe('transfer.cxlbench.sqlite');
    const id = await upload(d.name, d.bytes, 1 << 20);
    const done = finished(id);
    await callApi(s, 'transfer.finish', { id, target: { kind: 'session' } });
    const p = await done;
    expect(p.phase, p.message).toBe('done');
    expect(p.sessions!.map((x) => x.name)).toEqual(['transfer']);
  });
});

describe('runs.delete and the sessions.import path policy', () => {
  it('deletes a finished run with its trace; an unknown one is not-found', async () => {
    const r = (await callApi(s, 'runs.start', { sessionId, topology: 'single', sequence: 'enumerate' })).id;
    await s.runs.wait(r);
    expect(await callApi(s, 'runs.delete', { id: r })).toEqual({ deleted: true });
    await expect(callApi(s, 'runs.get', { id: r })).rejects.toBeInstanceOf(ApiError);
    await expect(callApi(s, 'trace.page', { runId: r, offset: 0, limit: 1 })).rejects.toBeInstanceOf(ApiError);
  });

  it("the live bench's console run cannot be deleted while it is open", async () => {
    const live = await callApi(s, 'live.open', { sessionId, topology: 'single' });
    await expect(callApi(s, 'runs.delete', { id: live.runId })).rejects.toThrow(/console of the live bench/);
    await callApi(s, 'live.close', { sessionId });
    expect(await callApi(s, 'runs.delete', { id: live.runId })).toEqual({ deleted: true });
  });

  it('sessions.import reads only inside the data directory', async () => {
    const outside = join(env.dir, '..', 'elsewhere.sqlite');
    writeFileSync(outside, 'x');
    await expect(callApi(s, 'sessions.import', { path: outside })).rejects.toThrow(/only files in the bench's data directory/);
    await expect(callApi(s, 'sessions.import', { path: '/etc/passwd' })).rejects.toThrow(/only files in the bench's data directory/);
  });
});

describe('compare masks are checked (finding 7)', () => {
  it('a mask naming no field is refused by name, with what exists; good masks pass', async () => {
    const e = await callApi(s, 'compare.run', { runA: runId, runB: runId, masks: ['cxl-device-status.Event Status.Nope'] }).catch((x: unknown) => x as ApiError);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).field).toBe('masks.0');
    expect((e as ApiError).message).toMatch(/masks\.0: "cxl-device-status\.Event Status\.Nope" matches no field/);
    const bad = await callApi(s, 'compare.run', { runA: runId, runB: runId, masks: ['Revision ID'] }).catch((x: unknown) => x as ApiError);
    expect((bad as ApiError).message).toMatch(/write block\.register\.field or register\.field/);
    const hint = await callApi(s, 'compare.run', { runA: runId, runB: runId, masks: ['Wrong Register.Revision ID'] }).catch((x: unknown) => x as ApiError);
    expect((hint as ApiError).message).toMatch(/field "revision id" is in [^)]*revision id/);
    const ok = await callApi(s, 'compare.run', { runA: runId, runB: runId, masks: ['*.Revision ID', 'mailbox.0x4200', 'pci-type0-header.*.Revision ID'] });
    expect(ok.equal).toBe(true);
  });
});

describe('trace.timeline', () => {
  it('buckets a probe over time per node and space, with steps as spans and a seq per bucket', async () => {
    const t = await callApi(s, 'trace.timeline', { runId, buckets: 100 });
    expect(t.endNs).toBeGreaterThan(t.startNs);
    const total = t.lanes.reduce((n, l) => n + l.counts.reduce((a, b) => a + b, 0), 0);
    expect(total).toBe(t.events);
    expect(t.lanes.some((l) => l.node === 'hb0.rp0.ep0' && l.space === 'cfg')).toBe(true);
    expect(t.lanes.some((l) => l.space === 'mailbox')).toBe(true);
    const detail = await callApi(s, 'runs.get', { id: runId });
    expect(t.steps.length).toBe(detail.steps.length);
    for (const st of t.steps) expect(st.endNs).toBeGreaterThanOrEqual(st.startNs);
    expect(t.firstSeq[0]).toBe(0);
    // Zoomed to the second half: fewer events, the range as asked.
    const mid = (t.startNs + t.endNs) / 2;
    const z = await callApi(s, 'trace.timeline', { runId, buckets: 100, fromNs: mid });
    expect(z.fromNs).toBe(mid);
    expect(z.events).toBeLessThan(t.events);
  });
});
