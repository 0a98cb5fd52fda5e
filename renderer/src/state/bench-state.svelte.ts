// The UI's shared state (Svelte 5 runes): sessions, runs of the selected session, the selected run's detail,
// live progress from run.progress events, the connection and the last status message.
import type { KernelId } from '../../../host/kernels/types.js';
import type { KernelMatrix } from '../../../host/kernels/matrix.js';
import type {
  AppInfo,
  BenchApi,
  CompareSummary,
  Run,
  RunDetail,
  ServerEvent,
  Session,
} from '../../../main/api/contract.js';
import { describeError } from '../api/api-error.js';
import type { ConnectionState } from '../api/ws-client.js';
import { defaultRun } from '../lib/run-labels.js';

const DEFAULT_SEQUENCE = 'linux-probe';
const SESSION_KEY = 'cxl-bench.session';

/** localStorage, where a browser allows it (private windows, disabled storage: nothing is remembered). */
function safeGet(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
function safeSet(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* not remembered */
  }
}

export interface RunProgress {
  done: number;
  total: number;
  phase: string;
  events: number;
}

export interface StatusMessage {
  text: string;
  level: 'info' | 'error';
}

export class BenchState {
  connection = $state<ConnectionState>('connecting');
  info = $state<AppInfo | null>(null);
  sessions = $state<Session[]>([]);
  sessionId = $state<number | null>(null);
  runs = $state<Run[]>([]);
  runId = $state<number | null>(null);
  detail = $state<RunDetail | null>(null);
  progress = $state<Record<number, RunProgress>>({});
  sequence = $state('');
  /** Kernel profile runs apply (host/kernels), or 'all' for the kernel matrix. */
  kernel = $state<KernelId | 'all'>('6.12');
  /** The last kernel matrix (kernels.matrix), shown until closed. */
  kernelMatrix = $state<KernelMatrix | null>(null);
  kernelMatrixBusy = $state(false);
  message = $state<StatusMessage | null>(null);
  /** Bumped when the selected run's trace grew or finished, so the trace view refreshes its total. */
  traceEpoch = $state(0);
  /** Bumped when the selected run finished: the trace view refetches everything (final decode). */
  traceGeneration = $state(0);
  /** Set by a step's Enter/click: the trace view scrolls to this event seq. */
  jumpToSeq = $state<{ seq: number; nonce: number } | null>(null);
  /** Set when a replay's comparison is ready: the compare view shows it with the node map it used. */
  compareRequest = $state<{ summary: CompareSummary; nodeMap: Record<string, string>; nonce: number } | null>(null);

  /** Wall time, ticking while a run is in progress (elapsed time in the runs list). */
  now = $state(Date.now());
  private lastDetail = 0;

  readonly session = $derived(this.sessions.find((s) => s.id === this.sessionId) ?? null);
  readonly run = $derived(this.runs.find((r) => r.id === this.runId) ?? null);

  constructor(readonly api: BenchApi) {
    api.subscribe((ev) => this.onEvent(ev));
  }

  say(text: string, level: StatusMessage['level'] = 'info'): void {
    this.message = { text, level };
  }

  /** Run an API action; a failure becomes a status-bar message, never an uncaught rejection. */
  async attempt<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      this.say(`${what} failed — ${describeError(err)}`, 'error');
      return undefined;
    }
  }

  async load(): Promise<void> {
    const info = await this.attempt('app.info', () => this.api.call('app.info', {}));
    if (info) {
      this.info = info;
      // The probe Linux would do is what most bring-ups start with; otherwise the catalogue's first.
      if (!this.sequence) this.sequence = (info.sequences.find((q) => q.id === DEFAULT_SEQUENCE) ?? info.sequences[0])?.id ?? '';
    }
    await this.loadSessions();
    // A reload comes back to the session it showed (and so to its comparison, finding 13).
    const kept = Number(safeGet(SESSION_KEY));
    const back = this.sessions.find((x) => x.id === kept) ?? this.sessions[0];
    if (this.sessionId === null && back) await this.selectSession(back.id);
  }

  async loadSessions(): Promise<void> {
    const list = await this.attempt('sessions.list', () => this.api.call('sessions.list', {}));
    if (list) this.sessions = list;
  }

  async createSession(name: string): Promise<Session | undefined> {
    const s = await this.attempt('create session', () => this.api.call('sessions.create', { name }));
    if (!s) return undefined;
    await this.loadSessions();
    await this.selectSession(s.id);
    this.say(`session “${s.name}” created`);
    return s;
  }

  async renameSession(id: number, name: string): Promise<void> {
    const s = await this.attempt('rename session', () => this.api.call('sessions.rename', { id, name }));
    if (!s) return;
    this.sessions = this.sessions.map((x) => (x.id === id ? s : x));
    this.say(`session renamed to “${s.name}”`);
  }

  async deleteSession(id: number): Promise<void> {
    const name = this.sessions.find((s) => s.id === id)?.name ?? `#${id}`;
    const ok = await this.attempt('delete session', () => this.api.call('sessions.delete', { id }));
    if (!ok) return;
    const index = this.sessions.findIndex((s) => s.id === id);
    await this.loadSessions();
    if (this.sessionId === id) {
      const next = this.sessions[Math.min(index, this.sessions.length - 1)];
      await this.selectSession(next ? next.id : null);
    }
    this.say(`session “${name}” deleted`);
  }

  async selectSession(id: number | null): Promise<void> {
    if (id !== null) safeSet(SESSION_KEY, String(id));
    if (this.sessionId !== id) {
      this.sessionId = id;
      this.runs = [];
      this.runId = null;
      this.detail = null;
    }
    await this.loadRuns();
  }

  async loadRuns(): Promise<void> {
    const sessionId = this.sessionId;
    if (sessionId === null) return;
    const runs = await this.attempt('runs.list', () => this.api.call('runs.list', { sessionId }));
    if (!runs || this.sessionId !== sessionId) return;
    this.runs = [...runs].sort((a, b) => b.id - a.id);
    // Not the live console a topology opened (finding 9): the newest run that is not one.
    const pick = defaultRun(this.runs);
    if (this.runId === null && pick) await this.selectRun(pick.id);
  }

  async selectRun(id: number | null): Promise<void> {
    this.runId = id;
    if (id === null) {
      this.detail = null;
      return;
    }
    const d = await this.attempt('runs.get', () => this.api.call('runs.get', { id }));
    if (d && this.runId === id) this.detail = d;
  }

  /** Start the chosen sequence against the default (emulated) topology of the selected session. */
  async startRun(): Promise<void> {
    let sessionId = this.sessionId;
    if (sessionId === null) {
      const s = await this.createSession('session 1');
      if (!s) return;
      sessionId = s.id;
    }
    if (this.kernel === 'all') return this.runKernelMatrix(sessionId);
    const input = { sessionId, ...(this.sequence ? { sequence: this.sequence } : {}), kernel: this.kernel };
    const run = await this.attempt('start run', () => this.api.call('runs.start', input));
    if (!run) return;
    this.runs = [run, ...this.runs.filter((r) => r.id !== run.id)];
    this.say(`run #${run.id} started: ${run.sequence} on ${run.targets}`);
    await this.selectRun(run.id);
    void this.loadSessions();
  }

  /** The kernel matrix: the chosen sequence once per kernel profile, then step × version (kernels.matrix). */
  async runKernelMatrix(sessionId: number): Promise<void> {
    this.kernelMatrixBusy = true;
    this.say('kernel matrix: running under 6.1, 6.12 and mainline …');
    try {
      const r = await this.attempt('kernel matrix', () => this.api.call('kernels.matrix', { sessionId, ...(this.sequence ? { sequence: this.sequence } : {}) }));
      if (!r) return;
      this.kernelMatrix = r.matrix;
      this.runs = [...r.runs.map((x) => x.run), ...this.runs.filter((x) => !r.runs.some((y) => y.runId === x.id))];
      this.say(`kernel matrix: ${r.matrix.verdict}`);
      void this.loadSessions();
    } finally {
      this.kernelMatrixBusy = false;
    }
  }

  async cancelRun(id: number): Promise<void> {
    const run = await this.attempt('cancel run', () => this.api.call('runs.cancel', { id }));
    if (run) this.say(`run #${id} cancel requested`);
  }

  private onEvent(ev: ServerEvent): void {
    switch (ev.type) {
      case 'run.progress': {
        this.progress[ev.runId] = { done: ev.done, total: ev.total, phase: ev.phase, events: ev.events };
        const r = this.runs.find((x) => x.id === ev.runId);
        if (r) {
          r.eventCount = ev.events;
          if (r.status === 'queued') r.status = 'running';
        }
        this.now = Date.now();
        if (ev.runId === this.runId) {
          this.traceEpoch++;
          // Steps appear as they are recorded, not only at the end (finding 15): re-read the detail ≤ 1/s.
          if (this.now - this.lastDetail > 1000) {
            this.lastDetail = this.now;
            void this.selectRun(ev.runId);
          }
        }
        break;
      }
      case 'run.finished': {
        delete this.progress[ev.runId];
        this.say(`run #${ev.runId} ${ev.status}: ${ev.summary}`, ev.status === 'error' ? 'error' : 'info');
        void this.loadRuns().then(async () => {
          if (ev.runId === this.runId) {
            await this.selectRun(ev.runId);
            this.traceGeneration++;
          }
        });
        void this.loadSessions();
        break;
      }
      case 'log':
        if (ev.row.level === 'error') this.say(ev.row.message, 'error');
        break;
    }
  }
}
