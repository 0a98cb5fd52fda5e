// The live bench as the topology, register, mailbox and fault views share it (Svelte 5 runes): the catalogue
// of topologies, the selected session's open live platform, the selected node, per-endpoint backend choices
// and a log of what the views did (injections, writes), newest first.
import type { LiveBench, RunStartInput, TopologyEntry, TopologyFieldError, TopologySummary, TopologyView } from '../../../main/api/contract.js';
import type { BenchState } from '../state/bench-state.svelte.js';
import { targetsFor, type BackendChoice } from './backend-targets.js';
import { choicesFromBackends, sameAsFile, withBackends } from './topology-file.js';

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
  /** Topologies saved in this database (topologies.list, kind 'saved'). */
  saved = $state<TopologyEntry[]>([]);
  /** The picked saved topology's JSON text and its endpoint backends as choices (null for a built-in). */
  savedFile = $state<{ name: string; json: string; choices: Record<string, BackendChoice> } | null>(null);
  /** Named-field errors of the last topology JSON pasted or uploaded (topology.check). */
  fileErrors = $state<TopologyFieldError[]>([]);
  /** Why the last topology save failed, when it was not field errors. */
  lastError = $state<string | null>(null);
  private loadedFor: number | null = null;

  /** Whether `live` is the open platform of session `sessionId` (not one left behind by a session switch). */
  liveOf(sessionId: number | null): boolean {
    return this.live !== null && sessionId !== null && this.loadedFor === sessionId;
  }

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
      await this.loadSaved();
    }
    if (sessionId === null) {
      if (!this.preview) await this.showPreview();
      return;
    }
    if (this.loadedFor === sessionId) return;
    this.loadedFor = sessionId;
    const live = await this.bench.attempt('live.get', () => this.bench.api.call('live.get', { sessionId }));
    if (this.bench.sessionId !== sessionId) return; // switched again meanwhile: that call loads the newer one
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

  // ---- topology files (issue 7: topologies.save / list / get) ----

  async loadSaved(): Promise<void> {
    const list = await this.bench.attempt('topologies.list', () => this.bench.api.call('topologies.list', {}));
    if (list) this.saved = list.filter((t) => t.kind === 'saved');
  }

  isSaved(name: string): boolean {
    return this.saved.some((t) => t.name === name);
  }

  /**
   * Pick a topology: a saved one brings its endpoint backends as the choices (leaving one resets them), then the
   * preview. Built-ins keep the choices the user made, as before.
   */
  async pick(name: string): Promise<void> {
    const wasSaved = this.savedFile !== null;
    this.topology = name;
    this.savedFile = null;
    if (this.isSaved(name)) {
      const d = await this.bench.attempt('topologies.get', () => this.bench.api.call('topologies.get', { name }));
      if (d && this.topology === name) {
        const choices = choicesFromBackends(d.backends);
        this.savedFile = { name, json: d.json, choices };
        this.backends = { ...choices };
      }
    } else if (wasSaved) this.backends = {};
    if (!this.live) await this.showPreview();
  }

  /** Save the current topology, with the per-endpoint backends chosen in the view, under `name`. */
  async saveCurrent(name: string): Promise<boolean> {
    const base = this.savedFile?.json ?? (await this.bench.attempt('topologies.get', () => this.bench.api.call('topologies.get', { name: this.topology })))?.json;
    if (base === undefined) return false;
    return this.saveJson(name, withBackends(base, this.backends, name), `saved ${this.topology} with its backends as ${name}`);
  }

  /** Check pasted or uploaded topology JSON (every bad field listed), then save it under `name`. */
  async saveText(name: string, json: string): Promise<boolean> {
    const check = await this.bench.attempt('topology.check', () => this.bench.api.call('topology.check', { json }));
    if (!check) return false;
    this.fileErrors = check.errors;
    if (!check.ok) return false; // the view lists the errors beside the JSON box
    return this.saveJson(name, json, `saved topology ${name}`);
  }

  private async saveJson(name: string, json: string, what: string): Promise<boolean> {
    let failure = '';
    const saved = await this.bench.attempt('topologies.save', () =>
      this.bench.api.call('topologies.save', { name, json }).catch((e: unknown) => {
        failure = e instanceof Error ? e.message : String(e);
        throw e;
      }),
    );
    if (!saved) {
      this.lastError = failure || 'topology not saved';
      this.note(this.lastError, 'error');
      return false;
    }
    this.lastError = null;
    this.fileErrors = [];
    this.note(saved.hardware ? `${what} (${saved.hardware} hardware endpoint${saved.hardware === 1 ? '' : 's'})` : what);
    await this.loadSaved();
    if (!this.live) await this.pick(name);
    return true;
  }

  async deleteSaved(name: string): Promise<void> {
    const ok = await this.bench.attempt('topologies.delete', () => this.bench.api.call('topologies.delete', { name }));
    if (!ok) return;
    this.note(`deleted saved topology ${name}`);
    await this.loadSaved();
    if (this.topology === name && !this.live) await this.pick('single');
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
    // A saved topology brings its own backends; edited ones run as that file with the edits (the run records it).
    const file = this.savedFile?.name === this.topology ? this.savedFile : null;
    const paths = this.endpoints.map((n) => n.path);
    const edited = file !== null && !sameAsFile(this.backends, file.choices, paths);
    const targets = file ? undefined : targetsFor(this.backends);
    const input: RunStartInput = {
      sessionId,
      topology: this.topology,
      ...(edited ? { topologyJson: withBackends(file.json, this.backends) } : {}),
      ...(this.bench.sequence ? { sequence: this.bench.sequence } : {}),
      ...(targets ? { targets } : {}),
    };
    const run = await this.bench.attempt('start run', () => this.bench.api.call('runs.start', input));
    if (!run) {
      this.note(this.bench.message?.text ?? 'run failed to start', 'error');
      return;
    }
    // run.targets is filled in once the worker has built the platform; say what was asked for.
    const hw = Object.entries(file ? this.backends : (targets ?? {})).flatMap(([n, t]) =>
      typeof t === 'string' ? [`${n}=${t}`] : 'kind' in t ? (t.kind === 'link' ? [`${n}=${t.uri.trim()}`] : []) : [`${n}=${t.link}`],
    );
    this.note(`run #${run.id} started: ${run.sequence} on ${input.topology}${hw.length ? ` with ${hw.join(', ')}` : ', all emulated'}`);
    this.bench.runs = [run, ...this.bench.runs.filter((r) => r.id !== run.id)];
    await this.bench.selectRun(run.id);
  }
}
