// The one background operation a mailbox can run at a time (CXL 2.0 8.2.8.4.7, 8.2.9 "Background Command").
// Progress runs off the virtual clock: percent = elapsed / duration. Completion is applied lazily, the first time
// anyone looks after the finish time (a command, a status read), so nothing needs a timer.

import type { Clock } from '../../../common/clock.js';
import type { BackgroundStatus } from '../backend.js';
import { RC } from '../return-codes.js';

export interface BackgroundJob {
  opcode: number;
  durationNs: number;
  /** Whether Request Abort Background Operation may stop it (CEL effect bit 8). */
  abortable: boolean;
  /** Applies the operation's effect; returns the completion return code. */
  complete(): number;
  /** Called instead of `complete` when aborted; `percent` is how far it got. */
  abort?(percent: number): void;
}

/** QEMU refuses to abort an operation that is 85 % or more done (qemu-cxl.md 4a); we do the same. */
const ABORT_LIMIT_PERCENT = 85;

export class BackgroundOps {
  private job: BackgroundJob | null = null;
  private startedAt = 0;
  private last: BackgroundStatus = { running: false, opcode: 0, percent: 0, rc: 0, vendorStatus: 0 };
  /** Called when a job finishes or aborts (the register model raises the Background Command Complete interrupt). */
  onComplete: ((status: BackgroundStatus) => void) | null = null;

  constructor(private readonly clock: Clock) {}

  get running(): boolean {
    this.tick();
    return this.job !== null;
  }

  get runningOpcode(): number | null {
    this.tick();
    return this.job?.opcode ?? null;
  }

  /** Start `job`; the caller has already checked nothing runs. A zero duration completes at once on next tick. */
  start(job: BackgroundJob): void {
    this.job = job;
    this.startedAt = this.clock.now();
    this.last = { running: true, opcode: job.opcode, percent: 0, rc: 0, vendorStatus: 0 };
  }

  /** Finish the running job if its time has come. */
  tick(): void {
    const job = this.job;
    if (job === null) return;
    if (this.clock.now() - this.startedAt < job.durationNs) return;
    this.job = null;
    const rc = job.complete();
    this.finish(job.opcode, 100, rc);
  }

  /** Request Abort Background Operation (r3.1 8.2.9.1.5). */
  requestAbort(): number {
    this.tick();
    const job = this.job;
    if (job === null) return RC.success;
    const percent = this.percent(job);
    if (!job.abortable || percent >= ABORT_LIMIT_PERCENT) return RC.abortNotSupported;
    this.job = null;
    job.abort?.(percent);
    this.finish(job.opcode, percent, RC.aborted);
    return RC.success;
  }

  /** Stop without completing (device reset): the operation is lost, its status reads Interrupted. */
  interrupt(): void {
    const job = this.job;
    if (job === null) return;
    this.job = null;
    job.abort?.(this.percent(job));
    this.finish(job.opcode, this.percent(job), RC.interrupted);
  }

  status(): BackgroundStatus {
    this.tick();
    if (this.job !== null) return { ...this.last, running: true, percent: this.percent(this.job) };
    return { ...this.last };
  }

  private percent(job: BackgroundJob): number {
    if (job.durationNs <= 0) return 100;
    const elapsed = this.clock.now() - this.startedAt;
    return Math.max(0, Math.min(99, Math.floor((elapsed * 100) / job.durationNs)));
  }

  private finish(opcode: number, percent: number, rc: number): void {
    this.last = { running: false, opcode, percent, rc, vendorStatus: 0 };
    this.onComplete?.({ ...this.last });
  }
}
