// Issue 16, items 3 and 4: a full disk during a run used to kill the process (the bookkeeping write threw in a
// worker 'error' handler), leave the run 'running' and lose the cause; an export to a full or read-only folder
// killed `serve` (a write stream without an 'error' listener) or left a 0-byte file. Now: the run ends 'error'
// naming the disk, its stored trace is a consistent prefix, the server keeps serving, and an export either
// appears whole or not at all, with the reason named.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../common/clock.js';
import { RunRecorder } from '../../main/runs/run-recorder.js';
import { openStore } from '../../main/store/store.js';
import { RunTraceWriter } from '../../main/store/trace-writer.js';
import { TEST_SEQUENCES } from '../api/helpers.js';
import type { TestClient } from '../api/ws-test-client.js';
import { startServedBench } from './served-bench.js';
import { smallDisk, type SmallDisk } from './small-disk.js';

const BIN = fileURLToPath(new URL('../../bin/cxl-bench.mjs', import.meta.url));
const FILL = new URL('./fixtures/fill-sequences.ts', import.meta.url).href;
const SEQUENCES = { CXL_BENCH_SEQUENCE_MODULES: `${TEST_SEQUENCES},${FILL}` };
/** What a refusing disk is called, whichever way the test made it refuse. */
const DISK_REFUSED = /disk is full \(SQLITE_FULL\)|I\/O error.*\(SQLITE_IOERR\w*\)|no space left on the device \(ENOSPC\)|file too large \(a file-size limit\) \(EFBIG\)/;

const scratch = mkdtempSync(join(tmpdir(), 'cxl-disk-full-'));
const disks: SmallDisk[] = [];
afterAll(() => {
  for (const d of disks) d.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

function disk(bytes: number): SmallDisk | undefined {
  const d = smallDisk(bytes);
  if ('skip' in d) {
    console.log(`disk-full test skipped: ${d.skip}`);
    return undefined;
  }
  disks.push(d);
  return d;
}

function cli(args: string[], opts: { wrap?: (a: string[]) => string[]; env?: Record<string, string> } = {}) {
  const [cmd, ...rest] = (opts.wrap ?? ((a) => a))([process.execPath, BIN, ...args]);
  return spawnSync(cmd, rest, { encoding: 'utf8', env: { ...process.env, ...SEQUENCES, ...opts.env } });
}

async function until<T>(what: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const v = await what();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const finishedEvent = (c: TestClient, runId: number) => until(async () => c.events.find((e) => e.type === 'run.finished' && e.runId === runId) as { status: string; summary: string } | undefined);

describe('disk full mid-run', () => {
  it('under serve: the run ends error naming the disk, the server keeps serving, and after room is made the stored run is consistent', async () => {
    const d = disk(2 << 20);
    if (!d) return;
    const bench = await startServedBench({ env: SEQUENCES, dbPath: join(d.dir, 'bench.sqlite'), wrap: d.wrap });
    try {
      const c = await bench.client();
      const s = await c.call('sessions.create', { name: 'fill' });
      const run = (await c.call('runs.start', { sessionId: s.result.id, sequence: 'test-fill', topology: 'none' })).result;
      const fin = await finishedEvent(c, run.id);
      expect(fin.status).toBe('error');
      expect(fin.summary).toMatch(DISK_REFUSED);
      const kept = Number(/the trace is kept up to event (\d+)/.exec(fin.summary)?.[1]);
      expect(kept).toBeGreaterThan(0);
      expect(await bench.health()).toBe('cxl-bench');
      expect(bench.stderr()).not.toMatch(/^\s+at /m);

      d.grow(bench.pid);
      // The outcome is in the store now (written by the worker, or by the main thread's retry once there is room).
      const stored = await until(async () => {
        const r = (await c.call('runs.get', { id: run.id })).result;
        return r.status === 'running' ? undefined : r;
      });
      expect(stored).toMatchObject({ status: 'error', eventCount: kept });
      expect(stored.summary).toBe(fin.summary);
      const tail = await c.call('trace.page', { runId: run.id, offset: kept - 5, limit: 100 });
      expect(tail.result.rows.map((r: { seq: number }) => r.seq)).toEqual([kept - 5, kept - 4, kept - 3, kept - 2, kept - 1]);
      // And the bench goes on: a new run on the same store passes.
      const next = (await c.call('runs.start', { sessionId: s.result.id, sequence: 'test-pass', topology: 'none' })).result;
      const nextFin = await finishedEvent(c, next.id);
      expect(nextFin.summary).toBe('test-pass: done');
      expect(nextFin.status).toBe('passed');
      c.close();
    } finally {
      expect(await bench.stop()).toBe(0);
    }
  });

  it('in the CLI: exit 1 with the reason on one line, no stack trace', () => {
    const d = disk(2 << 20);
    if (!d) return;
    const db = join(d.dir, 'cli.sqlite');
    const r = cli(['run', '--sequence', 'test-fill', '--topology', 'none', '--db', db], { wrap: d.wrap });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/— ERROR\n/);
    expect(r.stdout).toMatch(DISK_REFUSED);
    expect(r.stdout + r.stderr).not.toMatch(/^\s+at /m);
    d.grow();
    const list = cli(['runs', 'list', '--json', '--db', db]);
    const [run] = JSON.parse(list.stdout) as { status: string; summary: string }[];
    expect(run.status).toBe('error');
    expect(run.summary).toMatch(DISK_REFUSED);
  });
});

describe('disk full or read-only mid-export', () => {
  /** A store with one finished run of `events` accesses (recorded here, without any limit), in a folder of its own. */
  function seededDb(name: string, events = 10_000): string {
    const dir = join(scratch, name);
    mkdirSync(dir);
    const db = join(dir, 'bench.sqlite');
    const store = openStore(db);
    const session = store.sessions.create('seeded');
    const run = store.runs.create({ sessionId: session.id, sequence: 'seeded', topology: 'none' });
    const clock = new VirtualClock();
    const rec = new RunRecorder(clock, new RunTraceWriter(store.db, run.id));
    const node = rec.sink.nodeId('hb0.rp0.ep0');
    // Values that do not compress, so exports and session files are as big as a real trace's.
    for (let i = 0; i < events; i++) rec.sink.access(node, 1, 3, (Math.imul(i, 40503) >>> 0) & 0xffc, 4, i & 1, Math.imul(i, 2654435761) >>> 0, 0, 0);
    rec.flush();
    store.runs.finish(run.id, 'passed', 'seeded');
    store.close();
    return db;
  }

  it('trace.export and sessions.export to a full folder: a named storage error, no partial file, the server keeps serving', async () => {
    const d = disk(512 << 10);
    if (!d) return;
    const db = seededDb('api');
    const exportDir = join(d.dir, 'exports');
    // Under a file-size limit the whole server is limited: its store is small enough to stay under it.
    const bench = await startServedBench({ dbPath: db, env: { ...SEQUENCES, CXL_BENCH_EXPORT_DIR: exportDir }, wrap: d.wrap });
    try {
      const c = await bench.client();
      const r = await c.call('trace.export', { runId: 1, format: 'jsonl' });
      expect(r.ok).toBe(false);
      expect(r.error.code).toBe('storage');
      expect(r.error.message).toContain(`trace.export: cannot write ${join(exportDir, 'run-1.jsonl')}: `);
      expect(r.error.message).toMatch(DISK_REFUSED);
      expect(r.error.message).toMatch(/; nothing was written$/);
      expect(readdirSync(exportDir)).toEqual([]);
      expect(await bench.health()).toBe('cxl-bench');

      // A session file bigger than what is left: refused by name, and no 0-byte file behind. A file-size limit
      // cannot tell the session file from the server's own store (both about the same size): tmpfs only.
      if (d.kind === 'tmpfs') {
        const filler = spawnSync('dd', ['if=/dev/zero', `of=${join(exportDir, 'filler')}`, 'bs=1k', 'count=440'], { stdio: 'ignore' });
        expect(filler.status).toBe(0);
        const sess = await c.call('sessions.export', { id: 1 });
        expect(sess.ok).toBe(false);
        expect(sess.error).toMatchObject({ code: 'storage', message: expect.stringMatching(/^sessions\.export: cannot write .*session-1-.*\.cxlbench\.sqlite: .*; nothing was written$/) });
        expect(readdirSync(exportDir)).toEqual(['filler']);
        expect(await bench.health()).toBe('cxl-bench');
      } else console.log('sessions.export on a full disk: skipped under a file-size limit (needs a tmpfs); the CLI case below covers it');

      d.grow(bench.pid);
      rmSync(join(exportDir, 'filler'), { force: true });
      const whole = await c.call('trace.export', { runId: 1, format: 'jsonl' });
      expect(whole.ok).toBe(true);
      expect(readdirSync(exportDir)).toEqual(['run-1.jsonl']);
      c.close();
    } finally {
      expect(await bench.stop()).toBe(0);
    }
  });

  it('trace.export to a read-only folder: a named storage error, the server keeps serving', async () => {
    const db = seededDb('readonly');
    const ro = join(scratch, 'ro');
    mkdirSync(ro);
    let how: string;
    if (process.getuid?.() === 0) {
      // root ignores mode bits: a read-only mount is what refuses it.
      if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', ro]).status !== 0) {
        console.log('read-only export test skipped: root here cannot mount a read-only tmpfs');
        return;
      }
      how = 'EROFS';
    } else {
      chmodSync(ro, 0o555);
      how = 'EACCES';
    }
    const bench = await startServedBench({ dbPath: db, env: { CXL_BENCH_EXPORT_DIR: ro } });
    try {
      const c = await bench.client();
      const r = await c.call('trace.export', { runId: 1, format: 'csv' });
      expect(r.error).toMatchObject({ code: 'storage', message: expect.stringContaining(`(${how}); nothing was written`) });
      expect(await bench.health()).toBe('cxl-bench');
      c.close();
    } finally {
      expect(await bench.stop()).toBe(0);
      if (how === 'EROFS') spawnSync('umount', ['-l', ro]);
    }
  });

  it('the CLI: trace --out and session export to a full folder exit 1 with one line, and leave no file', () => {
    // Both files are bigger than 128 KiB; the CLI only reads its store.
    const d = disk(128 << 10);
    if (!d) return;
    const db = seededDb('cli', 200_000);
    const out = join(d.dir, 'run-1.jsonl');
    const t = cli(['trace', '1', '--format', 'jsonl', '--out', out, '--db', db], { wrap: d.wrap });
    expect(t.status).toBe(1);
    expect(t.stderr).toMatch(new RegExp(`^cxl-bench: trace: cannot write ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*; nothing was written\n$`));
    expect(t.stderr).toMatch(DISK_REFUSED);
    const s = cli(['session', 'export', '1', '--out', join(d.dir, 's.cxlbench.sqlite'), '--db', db], { wrap: d.wrap });
    expect(s.status).toBe(1);
    expect(s.stderr).toMatch(/^cxl-bench: cannot write .*s\.cxlbench\.sqlite: .*; nothing was written\n$/);
    expect(readdirSync(d.dir)).toEqual([]);
  });
});
