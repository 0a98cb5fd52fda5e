// The live bench as the topology, register, mailbox and fault views share it (Svelte 5 runes): the catalogue
// of topologies, the selected session's open live platform, the selected node, per-endpoint backend choices
// and a log of what the views did (injections, writes), newest first.
import type { LiveBench, TopologySummary, TopologyView } from '../../../main/api/contract.js';
import type { BenchState } from '../state/bench-state.svelte.js';
import { targetsFor, type BackendChoice } from './backend-targets.js';

export interface ActionLine {
  time: string;
  text: string;
  level: 'info' | 'error';
}

export class LiveState {
  topologies = $state<TopologySummary[]>([]);
  /** Topology chosen in the picker (opened with live.open). */
  topology = $state('single');
  /** The chosen topology's tree (topology.show), shown before it is opened. */
  preview = $state<TopologyView | null>(null);
  live = $state<LiveBench | null>(null);
  node = $state<string | null>(null);
  backends = $state<Record<string, BackendChoice>>({});
  actions = $state<ActionLine[]>([]);
  /** Register block last chosen per node ("region:base"), so the explorer comes back to it. */
  regBlock = $state<Record<string, string>>({});
  busy = $state(false);
  private loadedFor: number | null = null;

  readonly endpoints = $derived((this.live?.nodes ?? this.preview?.nodes ?? []).filter((n) => n.kind === 'type3'));

  constructor(readonly bench: BenchState) {}

  note(text: string, level: ActionLine['level'] = 'info'): void {
    this.actions = [{ time: new Date().toISOString().slice(11, 23), text, level }, ...this.actions].slice(0, 200);
  }

  /** Load the catalogue and the session's open platform, once per session (views call this on mount). */
  async ensure(): Promise<void> {
    const sessionId = this.bench.sessionId;
    if (this.topologies.length === 0) {
      const list = await this.bench.attempt('topology.list', () => this.bench.api.call('topology.list', {}));
      if (list) this.topologies = list.filter((t) => t.name !== 'none');
    }
    if (sessionId === null) {
      if (!this.preview) await this.showPreview();
      return;
    }
    if (this.loadedFor === sessionId) return;
    this.loadedFor = sessionId;
    const live = await this.bench.attempt('live.get', () => this.bench.api.call('live.get', { sessionId }));
    this.setLive(live ?? null);
    await this.showPreview();
  }

  private setLive(live: LiveBench | null): void {
    this.live = live;
    if (live) this.topology = live.topology;
    const nodes = live?.nodes ?? [];
    if (!nodes.some((n) => n.path === this.node)) this.node = nodes.find((n) => n.kind === 'type3')?.path ?? nodes[0]?.path ?? null;
  }

  async showPreview(): Promise<void> {
    const name = this.topology;
    const view = await this.bench.attempt('topology.show', () => this.bench.api.call('topology.show', { name }));
    if (!view || this.topology !== name) return;
    this.preview = view;
    if (!this.live && !view.nodes.some((n) => n.path === this.node)) this.node = view.nodes.find((n) => n.kind === 'type3')?.path ?? null;
  }

  /** Open the chosen topology live for the session (creating a session when there is none). */
  async open(): Promise<boolean> {
    let sessionId = this.bench.sessionId;
    if (sessionId === null) {
      const s = await this.bench.createSession('session 1');
      if (!s) return false;
      sessionId = s.id;
    }
    this.busy = true;
    try {
      const topology = this.topology;
      const live = await this.bench.attempt('live.open', () => this.bench.api.call('live.open', { sessionId, topology }));
      if (!live) return false;
      this.loadedFor = sessionId;
      this.setLive(live);
      this.note(`opened ${live.topology} live (console run #${live.runId})`);
      if (live.topology !== topology) this.note(`session already had ${live.topology} open; close it to switch`, 'error');
      void this.bench.loadRuns();
      return true;
    } finally {
      this.busy = false;
    }
  }

  async close(): Promise<void> {
    const sessionId = this.bench.sessionId;
    if (sessionId === null || !this.live) return;
    const run = await this.bench.attempt('live.close', () => this.bench.api.call('live.close', { sessionId }));
    if (!run) return;
    this.note(`closed live platform; console run #${run.id} ${run.status}`);
    this.setLive(null);
    await this.showPreview();
    void this.bench.loadRuns();
  }

  /** The session changed under the views: forget the old platform. */
  async sessionChanged(): Promise<void> {
    if (this.loadedFor !== this.bench.sessionId) {
      this.live = null;
      this.node = null;
    }
    await this.ensure();
  }

  /** Start a run with the chosen sequence on the chosen topology, endpoints on their chosen backends. */
  async startRun(): Promise<void> {
    const sessionId = this.bench.sessionId;
    if (sessionId === null) return;
    const targets = targetsFor(this.backends);
    const input = {
      sessionId,
      topology: this.topology,
      ...(this.bench.sequence ? { sequence: this.bench.sequence } : {}),
      ...(targets ? { targets } : {}),
    };
    const run = await this.bench.attempt('start run', () => this.bench.api.call('runs.start', input));
    if (!run) {
      this.note(this.bench.message?.text ?? 'run failed to start', 'error');
      return;
    }
    // run.targets is filled in once the worker has built the platform; say what was asked for.
    const hw = targets ? Object.entries(targets).map(([n, t]) => `${n}=${typeof t === 'string' ? t : t.link}`) : [];
    this.note(`run #${run.id} started: ${run.sequence} on ${input.topology}${hw.length ? ` with ${hw.join(', ')}` : ', all emulated'}`);
    this.bench.runs = [run, ...this.bench.runs.filter((r) => r.id !== run.id)];
    await this.bench.selectRun(run.id);
  }
}
