// run.peak_rss_mib_100m (issue 16): the peak resident set of a process that records one 100 M-event run the
// way the app does — runs.start -> run worker -> TraceBuffer -> chunk codec -> SQLite — measured in a child
// process that does nothing else (process.resourceUsage().maxRSS covers the worker thread). Before run memory
// was bounded this grew ~32 B per event (5 GB at 134 M events); now a run holds about one chunk at a time.
// The workload is trace/synthetic.ts (config walks, mailbox polls, HDM programming, memory traffic, steps).
// A run this size writes ~2 GB of SQLite into a temporary folder, removed afterwards.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import type { VirtualClock } from '../common/clock.js';
import type { Sequence } from '../host/sequence.js';
import { createServices } from '../main/services/services.js';
import { emitSyntheticTrace } from '../trace/synthetic.js';

export interface Benchmark {
  name: string;
  unit: string;
  run(): Promise<number> | number;
}

/** Set in the child: "<db path>,<events>". */
const CHILD_ENV = 'CXL_BENCH_RUN_MEMORY';

export interface RunMemory {
  events: number;
  peakRssMib: number;
  seconds: number;
}

/** The synthetic workload as a Sequence of N events (N from the child's environment). */
export const SEQUENCES: Sequence[] = [
  {
    id: 'bench-run-memory',
    title: 'Benchmark: a run of N synthetic events',
    description: 'trace/synthetic.ts straight into the run sink, N from CXL_BENCH_RUN_MEMORY.',
    async run(ctx) {
      const events = Number((process.env[CHILD_ENV] ?? ',0').split(',')[1]);
      const n = emitSyntheticTrace(ctx.sink!, ctx.clock as VirtualClock, { events, seed: 11 });
      return { summary: `${n} events` };
    },
  },
];

/** Child side: one run of `events` through the services, then this process's peak RSS. */
async function recordInThisProcess(path: string, events: number): Promise<RunMemory> {
  const services = await createServices({ dbPath: path, sequenceModules: [import.meta.url] });
  try {
    const session = services.store.sessions.create('bench');
    const t0 = performance.now();
    const run = services.runs.start({ sessionId: session.id, sequence: 'bench-run-memory', topology: 'none' });
    const status = await services.runs.wait(run.id);
    const seconds = (performance.now() - t0) / 1000;
    const stored = services.store.runs.get(run.id)!;
    if (status !== 'passed' || stored.eventCount !== events) throw new Error(`run ended ${status} with ${stored.eventCount} events: ${stored.summary}`);
    return { events, peakRssMib: process.resourceUsage().maxRSS / 1024, seconds };
  } finally {
    await services.close();
  }
}

// The run worker imports this module too (for SEQUENCES): only the child's main thread records. No top-level
// await: createServices imports this module for its SEQUENCES, which must finish evaluating first.
if (process.env[CHILD_ENV] && isMainThread) {
  const [path, events] = process.env[CHILD_ENV].split(',');
  recordInThisProcess(path, Number(events)).then(
    (r) => process.stdout.write(JSON.stringify(r) + '\n'),
    (e: Error) => {
      process.stderr.write(`${e.stack ?? e.message}\n`);
      process.exitCode = 1;
    },
  );
}

/** Record a run of `events` in a child process; its peak RSS and time. */
export function measureRunMemory(events: number): RunMemory {
  const dir = mkdtempSync(join(tmpdir(), 'cxl-bench-run-memory-'));
  try {
    const self = fileURLToPath(import.meta.url);
    const child = spawnSync(process.execPath, ['--import', 'tsx', self], {
      cwd: dirname(dirname(self)),
      env: { ...process.env, [CHILD_ENV]: `${join(dir, 'bench.sqlite')},${events}` },
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) throw new Error(`run-memory child failed: ${child.stderr.trim().split('\n').slice(-3).join(' ')}`);
    return JSON.parse(child.stdout.trim().split('\n').pop()!) as RunMemory;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const benchmarks: Benchmark[] = [{ name: 'run.peak_rss_mib_100m', unit: 'MiB', run: () => measureRunMemory(100_000_000).peakRssMib }];
