// Runs on the main thread's side (DESIGN.md 6): creates the run row, starts a worker that owns the run, and
// turns the worker's messages into ServerEvents. The main thread never executes a sequence; it serves queries.
// A worker that dies without reporting marks its run 'error' with the reason. An outcome the store refuses to
// take (disk full) never throws here: it is kept and written again every RETRY_MS until the disk has room,
// and the run.finished event carries it meanwhile.

import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { openLink, parseLinkUri } from '../../hil/link.js';
import { needsMainThread, serveLinkOverPort } from '../links/link-proxy.js';
import { RUN_LINK_TIMEOUT_MS } from './hardware-targets.js';
import type { Run, RunStatus } from '../api/contract.js';
import type { EventHub } from '../services/event-hub.js';
import { savePendingOutcome } from '../store/pending-outcomes.js';
import type { Store } from '../store/store.js';
import type { DeviceProfile } from '../../emulator/type3/config.js';
import type { KernelId } from '../../host/kernels/types.js';
import type { HardwareBinding, MainMessage, ReplayBinding, RunInit, WorkerMessage } from './messages.js';
import { runWorkerEntry, startModuleWorker } from './worker-entry.js';
import { recordRunDeviceMaps } from '../lab/board-identity.js';

export interface RunRequest {
  sessionId: number;
  sequence: string;
  topology: string;
  /** Nodes replaced by hardware endpoints for this run (validated by the caller). */
  hardware?: Record<string, HardwareBinding>;
  /** A replay run: the source run whose accesses sequence 'replay' issues (main/runs/replay-source.ts). */
  replay?: ReplayBinding;
  /** Every emulated endpoint's device profile instead of the topology's. */
  profile?: DeviceProfile;
  /** Kernel profile the sequence applies (host/kernels). */
  kernel?: KernelId;
  /** The topology file's JSON: recorded with the run, and the worker builds the platform from it (topology-source.ts). */
  topologyJson?: string;
}

/**
 * A finished run's worker normally exits by itself at once. Terminating it is the last resort: on Node 20 a
 * worker that registered tsx has a module-hooks thread of its own, and terminate() racing that thread's
 * shutdown can abort the whole process (FATAL ERROR: HandleScope ... without proper locking).
 */
const FINISHED_GRACE_MS = 30_000;
const RETRY_MS = 2000;

interface Active {
  worker: Worker;
  done: Promise<RunStatus>;
  /** Resolves when the worker thread has exited. */
  exited: Promise<void>;
  finished: boolean;
}

export class RunManager {
  private readonly active = new Map<number, Active>();
  /** Outcomes not yet in the store (it refused them), by run. */
  private readonly unrecorded = new Map<number, { status: RunStatus; summary: string }>();
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly hub: EventHub,
    private readonly sequenceModules: readonly string[] = [],
  ) {}

  /** Create the run (status 'running') and start its worker. Validation is the caller's (API table). */
  start(req: RunRequest): Run {
    const hw = Object.entries(req.hardware ?? {});
    const run = this.store.runs.create({
      sessionId: req.sessionId,
      sequence: req.sequence,
      topology: req.topology,
      ...(hw.length ? { targets: hw.map(([node, b]) => `${node}=${b.link}`).join(', ') } : {}),
      ...(req.topologyJson !== undefined ? { topologyJson: req.topologyJson } : {}),
    });
    // The device maps of its hardware endpoints stay with the run (board revision / gateware build for the lab).
    recordRunDeviceMaps(this.store, run.id, req.hardware);
    const init: RunInit = {
      dbPath: this.store.path,
      runId: run.id,
      sequence: req.sequence,
      topology: req.topology,
      sequenceModules: [...this.sequenceModules],
      ...(hw.length ? { hardware: req.hardware } : {}),
      ...(req.replay ? { replay: req.replay } : {}),
      ...(req.profile ? { profile: req.profile } : {}),
      ...(req.kernel ? { kernel: req.kernel } : {}),
      ...(req.topologyJson !== undefined ? { topologyJson: req.topologyJson } : {}),
    };
    // Links the worker cannot hold itself are opened and served here (main/links/link-proxy.ts).
    const linkPorts: Record<string, MessagePort> = {};
    for (const [node, b] of hw) {
      if (!needsMainThread(parseLinkUri(b.link).transport)) continue;
      const { port1, port2 } = new MessageChannel();
      void serveLinkOverPort(port1, () => openLink(b.link, { timeoutMs: RUN_LINK_TIMEOUT_MS }));
      linkPorts[node] = port2;
    }
    if (Object.keys(linkPorts).length) init.linkPorts = linkPorts;
    const worker = startModuleWorker(runWorkerEntry(), { workerData: init, transferList: Object.values(linkPorts) });
    const entry: Active = { worker, finished: false, done: Promise.resolve('running'), exited: new Promise((r) => worker.once('exit', () => r())) };
    entry.done = new Promise<RunStatus>((resolve) => {
      const fail = (reason: string): void => {
        if (entry.finished) return;
        entry.finished = true;
        const summary = `error: ${reason}`;
        if (this.record(run.id, 'error', summary)) this.emitLog(run.id, 'error', `run ${run.id}: ${summary}`);
        this.hub.emit({ type: 'run.finished', runId: run.id, status: 'error', summary });
        resolve('error');
      };
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'progress') this.hub.emit({ type: 'run.progress', runId: run.id, done: m.done, total: m.total, phase: m.phase, events: m.events });
        else if (m.type === 'log') this.hub.emit({ type: 'log', row: m.row });
        else if (m.type === 'finished') {
          entry.finished = true;
          if (m.recorded === false && this.record(run.id, m.status, m.summary)) this.emitLog(run.id, 'error', `run ${run.id}: ${m.status} — ${m.summary}`);
          this.hub.emit({ type: 'run.finished', runId: run.id, status: m.status, summary: m.summary });
          resolve(m.status);
          // Everything is written; a sequence that left timers behind must not keep its worker alive forever.
          setTimeout(() => {
            if (this.active.get(run.id) === entry) void worker.terminate();
          }, FINISHED_GRACE_MS).unref();
        }
      });
      worker.on('error', (e) => fail(`worker failed: ${e.message}`));
      worker.on('exit', (code) => {
        this.active.delete(run.id);
        fail(`worker exited (code ${code}) before finishing`);
      });
    });
    this.active.set(run.id, entry);
    return run;
  }

  /** Write a run's outcome; when the store refuses, keep it for the retry timer. True when written now. */
  private record(runId: number, status: RunStatus, summary: string): boolean {
    try {
      this.store.runs.finish(runId, status, summary);
      this.unrecorded.delete(runId);
      return true;
    } catch {
      // Kept beside the database too, so a process that ends before the disk has room does not lose it.
      if (!this.unrecorded.has(runId)) savePendingOutcome(this.store.path, { runId, status, summary, endedAt: new Date().toISOString() });
      this.unrecorded.set(runId, { status, summary });
      this.retryTimer ??= setInterval(() => this.retryUnrecorded(), RETRY_MS).unref();
      return false;
    }
  }

  /** Try again to write every outcome the store refused; the timer stops once all are in. */
  retryUnrecorded(): number {
    for (const [runId, o] of [...this.unrecorded]) if (this.record(runId, o.status, o.summary)) this.emitLog(runId, 'warn', `run ${runId}: ${o.status} — ${o.summary} (recorded late: the store had refused it)`);
    if (this.unrecorded.size === 0 && this.retryTimer) {
      clearInterval(this.retryTimer);
      this.retryTimer = undefined;
    }
    return this.unrecorded.size;
  }

  /** Runs whose outcome is known here but not yet stored. */
  get pendingOutcomes(): number {
    return this.unrecorded.size;
  }

  private emitLog(runId: number, level: 'error' | 'warn', message: string): void {
    try {
      this.hub.emit({ type: 'log', row: this.store.logs.append(runId, level, message) });
    } catch {
      // The store refused the log line too; the run.finished event still carries the summary.
    }
  }

  /** Ask a running run to stop at its next step; false when it is not running here. */
  cancel(runId: number): boolean {
    const a = this.active.get(runId);
    if (!a) return false;
    a.worker.postMessage({ type: 'cancel' } satisfies MainMessage);
    return true;
  }

  /** Resolves with the final status (immediately with the stored one for a run not active here). */
  wait(runId: number): Promise<RunStatus> {
    return this.active.get(runId)?.done ?? Promise.resolve(this.store.runs.get(runId)?.status ?? 'error');
  }

  /** Runs executing here that have not finished yet. */
  activeRuns(): number[] {
    return [...this.active.entries()].filter(([, a]) => !a.finished).map(([id]) => id);
  }

  /**
   * Cancel every unfinished run and wait (up to `ms`) for every worker to exit by itself; terminate only the
   * ones still there after that.
   */
  async stopAll(ms = 5000): Promise<void> {
    const entries = [...this.active.entries()];
    for (const [id, a] of entries) if (!a.finished) this.cancel(id);
    const timeout = new Promise<void>((r) => setTimeout(r, ms).unref());
    await Promise.race([Promise.all(entries.map(([, a]) => a.exited)), timeout]);
    await Promise.all([...this.active.values()].map((a) => a.worker.terminate()));
    this.retryUnrecorded();
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.retryTimer = undefined;
  }
}
