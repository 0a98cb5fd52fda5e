// Executes one run (DESIGN.md 6) — inside a run worker, which owns the emulator and the trace for the run's
// duration: builds the topology around a virtual clock and the recorder, runs the Sequence with its
// SequenceContext, streams chunks and steps to the database and progress to the main thread, and records the
// outcome: passed, failed (any fail verdict), error (an exception, with the reason) or interrupted (cancelled).
// Storage failing under the run (disk full, read-only, file-size limit) ends it 'error' with that reason and
// the trace kept up to the last stored event; the worker then still reports 'finished' — with `recorded: false`
// when even the outcome could not be written, so the main thread records it once it can (run-manager.ts).

import { VirtualClock } from '../../common/clock.js';
import { LatencyClock } from '../../emulator/timing/index.js';
import type { SequenceContext } from '../../host/sequence.js';
import type { LogRow, RunStatus } from '../api/contract.js';
import { openDb } from '../store/open-db.js';
import { LogsRepo } from '../store/logs-repo.js';
import { RunsRepo } from '../store/runs-repo.js';
import { errorReason } from '../store/storage-error.js';
import { RunTraceWriter } from '../store/trace-writer.js';
import { buildEnvironment, buildEnvironmentFromJson, targetsLabel, type RunEnvironment } from './environment.js';
import { attachHardware } from './hardware-targets.js';
import type { RunInit, WorkerMessage } from './messages.js';
import { RunRecorder } from './run-recorder.js';
import { replaySequenceFor } from './replay-source.js';
import { SequenceCatalog } from './sequence-catalog.js';

const PROGRESS_MS = 100;
const FLUSH_MS = 250;
const YIELD_MS = 20;

/** Run `fn`, swallowing what it throws: bookkeeping after the run must not stop the worker reporting. */
function attempt(fn: () => void): boolean {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
}

export function statusOf(verdictFails: number, error: unknown, aborted: boolean): RunStatus {
  if (aborted) return 'interrupted';
  if (error !== undefined) return 'error';
  return verdictFails > 0 ? 'failed' : 'passed';
}

export async function executeRun(init: RunInit, post: (m: WorkerMessage) => void, signal: AbortSignal): Promise<RunStatus> {
  const db = openDb(init.dbPath, { migrate: false, recover: false });
  const runs = new RunsRepo(db);
  const logs = new LogsRepo(db);
  const log = (level: LogRow['level'], message: string): void => post({ type: 'log', row: logs.append(init.runId, level, message) });
  const clock = new VirtualClock();
  // The trace's time: the virtual clock plus what each emulated access took (emulator/timing, issue 15).
  const traceClock = new LatencyClock(clock);
  // A hardware link or the store that fails ends the sequence at once and the run 'error' with the reason.
  let fault: Error | undefined;
  const faultAbort = new AbortController();
  const rec = new RunRecorder(traceClock, new RunTraceWriter(db, init.runId), undefined, {
    onWriteFailed: (e) => {
      fault ??= new Error(`${errorReason(e)}; the trace is kept up to event ${rec.committed}`);
      faultAbort.abort(fault);
    },
  });

  let lastProgress = 0;
  let lastFlush = performance.now();
  let lastYield = performance.now();
  let progress = { done: 0, total: 0, phase: 'starting' };
  const postProgress = (force: boolean): void => {
    const now = performance.now();
    if (!force && now - lastProgress < PROGRESS_MS) return;
    lastProgress = now;
    post({ type: 'progress', ...progress, events: rec.events });
  };
  // Between steps: write what accumulated, report, and let the worker's event loop see a cancel message.
  const checkpoint = async (): Promise<void> => {
    const now = performance.now();
    if (now - lastFlush >= FLUSH_MS) {
      rec.flush();
      lastFlush = now;
    }
    postProgress(false);
    if (now - lastYield >= YIELD_MS) {
      lastYield = now;
      await new Promise((r) => setImmediate(r));
    }
  };

  let failure: unknown;
  let summary = '';
  let env: RunEnvironment | undefined;
  const seqSignal = AbortSignal.any([signal, faultAbort.signal]);
  try {
    const catalog = await SequenceCatalog.load(init.sequenceModules);
    const registered = catalog.get(init.sequence);
    if (!registered) throw new Error(`unknown sequence "${init.sequence}"`);
    // A replay brings its own firmware cycles (the source's), so its platform starts from reset.
    const envOpts = {
      ...(init.profile ? { profile: init.profile } : {}),
      ...(init.replay ? { enumerate: false } : {}),
      traceClock,
    };
    // A topology file's JSON (saved, or given to the CLI) is what the platform is built from when the run has it.
    env = init.topologyJson !== undefined ? buildEnvironmentFromJson(init.topologyJson, clock, rec.sink, envOpts) : await buildEnvironment(init.topology, clock, rec.sink, envOpts);
    // The layout goes with the run at once: firmware's cycles are already traced, and a run that ends in error
    // below (a link that does not open) keeps a trace that still decodes (issue 15, finding 3).
    runs.setLayout(init.runId, env.layout);
    // Hardware endpoints replace emulated ones (a link that does not open ends the run 'error' with the reason).
    if (init.hardware)
      env = await attachHardware(env, init.hardware, rec.sink, init.linkPorts, (e) => {
        fault ??= e;
        faultAbort.abort(e);
      });
    const seq = init.replay ? replaySequenceFor(db, init, env) : registered;
    runs.setLayout(init.runId, env.layout);
    if (env.targets.size) runs.setTargets(init.runId, targetsLabel(env.targets));
    log('info', `run ${init.runId}: ${seq.id} on ${init.topology}${init.profile ? ` (profile ${init.profile})` : ''}${init.kernel ? ` (Linux ${init.kernel})` : ''} started`);

    const onHardware = Object.keys(init.hardware ?? {}).length > 0;
    const ctx: SequenceContext = {
      targets: env.targets,
      platform: env.platform,
      sink: rec.sink,
      clock,
      ...(init.kernel ? { kernel: init.kernel } : {}),
      signal: seqSignal,
      sleep: async (ns) => {
        clock.advance(ns);
        // Real silicon keeps wall time (host/sequence.ts: "really sleeps on hardware runs"): a background
        // operation started on a board finishes in milliseconds of its time, not of the virtual clock.
        if (onHardware) await new Promise((r) => setTimeout(r, ns / 1e6));
        await checkpoint();
      },
      step: (s) => {
        rec.step({ ...s, sequence: seq.id });
        void checkpoint();
      },
      progress: (done, total, phase) => {
        const phaseChanged = phase !== progress.phase;
        progress = { done, total, phase };
        postProgress(phaseChanged || done >= total);
      },
    };
    const result = await seq.run(ctx);
    summary = result.summary;
  } catch (e) {
    failure = e;
  }
  await env?.close?.().catch(() => {});
  // The last events: a disk that fills now still ends the run 'error' with that reason.
  attempt(() => rec.flush());
  if (rec.failure !== undefined) fault ??= new Error(`${errorReason(rec.failure)}; the trace is kept up to event ${rec.committed}`);
  if (fault) failure = fault;

  // A cancel is 'interrupted' even when the sequence threw on its way out; a fault (link, storage) is 'error'.
  const aborted = signal.aborted && fault === undefined;
  const status = statusOf(rec.verdicts.fail, failure, aborted);
  if (aborted) summary = `interrupted: cancelled${summary ? ` (${summary})` : ''}`;
  else if (failure !== undefined) summary = `error: ${failure === fault ? fault.message : errorReason(failure)}`;
  else if (!summary) summary = `${rec.verdicts.pass} pass, ${rec.verdicts.warn} warn, ${rec.verdicts.fail} fail`;
  const recorded = attempt(() => runs.finish(init.runId, status, summary));
  attempt(() => log(status === 'error' ? 'error' : status === 'failed' ? 'warn' : 'info', `run ${init.runId}: ${status} — ${summary}`));
  postProgress(true);
  attempt(() => db.close());
  post({ type: 'finished', status, summary, recorded });
  return status;
}
