// Store benchmarks (DESIGN.md 7: >= 1 M trace events/s persisted, <= 40 bytes per event on disk). A realistic
// synthetic run (trace/synthetic.ts: config walks, mailbox polls, HDM programming, memory traffic, steps) is
// recorded through the run worker's real path — ChunkingSink -> TraceBuffer.sealChunk -> RunTraceWriter
// (batched transactions, prepared statements) — into a fresh file database. Timing covers generating,
// recording, encoding and committing, so the rate is a lower bound on what the store alone sustains.
// compare_stored: compare.run (CompareService.run, on its thread) of two stored 1 M-event runs with 1 % divergence,
// the trace bench's workload (DESIGN.md 7: ≤ 2 s, RSS ≤ 1 GiB), in a child process that only opens the file
// database and compares, so its peak RSS is the comparison's and not the recording's.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VirtualClock } from '../common/clock.js';
import type { Sequence } from '../host/sequence.js';
import { CompareService } from '../main/compare/compare-service.js';
import { RunRecorder } from '../main/runs/run-recorder.js';
import { createServices } from '../main/services/services.js';
import { layoutDecoder } from '../main/store/row-decoder.js';
import { openStore } from '../main/store/store.js';
import { RunTraceWriter } from '../main/store/trace-writer.js';
import { emitSyntheticTrace } from '../trace/synthetic.js';

export interface Benchmark {
  name: string;
  unit: string;
  run(): Promise<number> | number;
}

const EVENTS = 2_000_000;

interface Measured {
  eventsPerSecond: number;
  bytesPerEvent: number;
  /** trace.page of 100 rows in the middle of the run, cold reader (what opening a run costs). */
  pageMs: number;
  /** First filtered page (one scan of the whole run), and the next page from the cached match list. */
  filterMs: number;
  filterNextMs: number;
}

function measure(): Measured {
  const dir = mkdtempSync(join(tmpdir(), 'cxl-bench-store-'));
  try {
    const path = join(dir, 'bench.sqlite');
    const store = openStore(path);
    const session = store.sessions.create('bench');
    const run = store.runs.create({ sessionId: session.id, sequence: 'synthetic', topology: 'none' });
    const clock = new VirtualClock();
    const t0 = performance.now();
    const rec = new RunRecorder(clock, new RunTraceWriter(store.db, run.id));
    const n = emitSyntheticTrace(rec.sink, clock, { events: EVENTS, seed: 7 });
    rec.flush();
    const seconds = (performance.now() - t0) / 1000;
    if (store.chunks.committedEvents(run.id) !== n) throw new Error('not every event was committed');
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    const bytesPerEvent = statSync(path).size / n;

    const reader = openStore(path, { decoderFor: layoutDecoder });
    let t = performance.now();
    if (reader.traces.page(run.id, n, Math.floor(n / 2), 100).rows.length !== 100) throw new Error('short page');
    const pageMs = performance.now() - t;
    t = performance.now();
    reader.traces.page(run.id, n, 0, 100, { op: 'W', node: 'hb0.rp1.ep1' });
    const filterMs = performance.now() - t;
    t = performance.now();
    reader.traces.page(run.id, n, 100, 100, { op: 'W', node: 'hb0.rp1.ep1' });
    const filterNextMs = performance.now() - t;
    reader.close();
    return { eventsPerSecond: n / seconds, bytesPerEvent, pageMs, filterMs, filterNextMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The same synthetic workload as a Sequence, so a whole run can be timed the way the app runs it: runs.start ->
 * worker thread (tsx, emulator-free 'none' topology) -> chunks committed by the worker -> run.finished.
 */
export const SEQUENCES: Sequence[] = [
  {
    id: 'bench-synthetic',
    title: 'Benchmark: synthetic 1 M events',
    description: 'trace/synthetic.ts workload straight into the run sink.',
    async run(ctx) {
      const n = emitSyntheticTrace(ctx.sink!, ctx.clock as VirtualClock, { events: 1_000_000, seed: 3 });
      return { summary: `${n} events` };
    },
  },
];

/** events/s of a 1 M-event run through the worker, from runs.start to run.finished (worker start-up included). */
async function workerRunRate(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'cxl-bench-run-'));
  const services = await createServices({ dbPath: join(dir, 'bench.sqlite'), sequenceModules: [import.meta.url] });
  try {
    const session = services.store.sessions.create('bench');
    const t0 = performance.now();
    const run = services.runs.start({ sessionId: session.id, sequence: 'bench-synthetic', topology: 'none' });
    const status = await services.runs.wait(run.id);
    const seconds = (performance.now() - t0) / 1000;
    if (status !== 'passed') throw new Error(`run ended ${status}: ${services.store.runs.get(run.id)?.summary}`);
    return services.store.runs.get(run.id)!.eventCount / seconds;
  } finally {
    await services.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const COMPARE_EVENTS = 1_000_000;
/** As bench/trace.ts: the shared machine makes every timing the best of ROUNDS. */
const ROUNDS = 3;
/** Set in the child process: "<db path>,<run A>,<run B>". */
const CHILD_ENV = 'CXL_BENCH_COMPARE_STORED';

interface CompareFigures {
  seconds: number;
  peakRssMib: number;
}

/** Child side: compare.run of the two runs ROUNDS times (best time), then the process's peak RSS. */
function compareInThisProcess(path: string, runA: number, runB: number): CompareFigures {
  const store = openStore(path, { migrate: false, recover: false, readonly: true });
  try {
    const service = new CompareService(store);
    let best = Infinity;
    for (let i = 0; i < ROUNDS; i++) {
      const t = performance.now();
      // What compare.run computes (CompareService.evaluate: no row saved, the database is opened read-only) and
      // the first page of hunks the UI asks for.
      const { summary } = service.evaluate({ runA, runB }, 0, 100);
      best = Math.min(best, (performance.now() - t) / 1000);
      if (summary.equal || summary.events.a !== COMPARE_EVENTS) throw new Error('unexpected comparison');
    }
    return { seconds: best, peakRssMib: process.resourceUsage().maxRSS / 1024 };
  } finally {
    store.close();
  }
}

if (process.env[CHILD_ENV]) {
  const [path, a, b] = process.env[CHILD_ENV].split(',');
  process.stdout.write(JSON.stringify(compareInThisProcess(path, Number(a), Number(b))) + '\n');
}

/** Record the two runs (trace bench workload: seed 42, B 1 % divergent) into a file database, compare in a child. */
function compareStored(): CompareFigures {
  const dir = mkdtempSync(join(tmpdir(), 'cxl-bench-compare-'));
  try {
    const path = join(dir, 'bench.sqlite');
    const writer = openStore(path);
    const session = writer.sessions.create('bench');
    const ids = [0, 0.01].map((divergence) => {
      const run = writer.runs.create({ sessionId: session.id, sequence: 'synthetic', topology: 'none' });
      const clock = new VirtualClock();
      const rec = new RunRecorder(clock, new RunTraceWriter(writer.db, run.id));
      emitSyntheticTrace(rec.sink, clock, { events: COMPARE_EVENTS, seed: 42, divergence });
      rec.flush();
      return run.id;
    });
    writer.db.pragma('wal_checkpoint(TRUNCATE)');
    writer.close();
    const self = fileURLToPath(import.meta.url);
    const child = spawnSync(process.execPath, ['--import', 'tsx', self], {
      cwd: dirname(dirname(self)),
      env: { ...process.env, [CHILD_ENV]: `${path},${ids[0]},${ids[1]}` },
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(`compare child failed: ${child.stderr.trim().split('\n').slice(-3).join(' ')}`);
    return JSON.parse(child.stdout.trim().split('\n').pop()!) as CompareFigures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let compared: CompareFigures | undefined;
const comparedStored = (): CompareFigures => (compared ??= compareStored());

let once: Measured | undefined;
const measured = (): Measured => (once ??= measure());

export const benchmarks: Benchmark[] = [
  { name: 'store.persist_rate', unit: 'events/s', run: () => measured().eventsPerSecond },
  { name: 'store.bytes_per_event', unit: 'bytes/event', run: () => measured().bytesPerEvent },
  // The trace issue names the same two figures trace.persist_rate / trace.bytes_per_event: one measurement of the
  // whole recording path (sink -> TraceBuffer -> chunk codec -> SQLite), reported under both names.
  { name: 'trace.persist_rate', unit: 'events/s', run: () => measured().eventsPerSecond },
  { name: 'trace.bytes_per_event', unit: 'bytes/event', run: () => measured().bytesPerEvent },
  { name: 'store.worker_run_rate', unit: 'events/s', run: workerRunRate },
  { name: 'store.trace_page_ms', unit: 'ms', run: () => measured().pageMs },
  { name: 'store.trace_filter_first_page_ms', unit: 'ms', run: () => measured().filterMs },
  { name: 'store.trace_filter_next_page_ms', unit: 'ms', run: () => measured().filterNextMs },
  { name: 'store.compare_stored_1m_seconds', unit: 's', run: () => comparedStored().seconds },
  { name: 'store.compare_stored_1m_peak_rss_mib', unit: 'MiB', run: () => comparedStored().peakRssMib },
];
