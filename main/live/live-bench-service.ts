// The live benches of all sessions (Services.live): at most one per session, opened on a topology and kept in
// the main process until closed (its console run then becomes 'passed'). Closing the services closes them all.

import { ApiError } from '../api/api-error.js';
import type { LiveBench, Run } from '../api/contract.js';
import type { Store } from '../store/store.js';
import { loadTopology } from '../../emulator/topology/load.js';
import type { Topology } from '../../emulator/topology/types.js';
import { topologyEndpoints } from '../runs/emulated-endpoints.js';
import { builtinTopologyJson } from '../runs/topology-source.js';
import { builtinTopology, liveTopologyNames } from './topology-catalog.js';
import { LivePlatform, type LiveLog } from './live-platform.js';

export class LiveBenchService {
  private readonly benches = new Map<number, LivePlatform>();

  constructor(
    private readonly store: Store,
    private readonly log: LiveLog,
  ) {}

  /**
   * Open the session's bench, or return the one already open on the same topology. `json`: a topology file's
   * text (issue 14: topology files everywhere), named by `topology` or the file's own name.
   */
  open(sessionId: number, name: string | undefined, json?: string): LiveBench {
    if (!this.store.sessions.get(sessionId)) throw new ApiError('not-found', `session ${sessionId} does not exist`, 'sessionId');
    const file = json !== undefined ? this.file(json) : undefined;
    const topology = name ?? file?.name ?? 'single';
    const t = file ?? builtinTopology(topology) ?? this.saved(topology);
    if (!t) {
      const known = [...liveTopologyNames(), ...this.store.topologies.list().map((x) => x.name)];
      throw new ApiError('bad-input', `unknown topology "${topology}" (live benches: ${known.join(', ')})`, 'topology');
    }
    const open = this.alive(sessionId);
    if (open) {
      if (open.topologyName !== topology)
        throw new ApiError('conflict', `session ${sessionId} already has a live ${open.topologyName} bench (console run ${open.runId}); close it first`, 'topology');
      return open.view();
    }
    const text = json ?? builtinTopologyJson(topology) ?? this.store.topologies.get(topology)?.json ?? null;
    const live = new LivePlatform(this.store, this.log, sessionId, topology, t, text);
    this.benches.set(sessionId, live);
    return live.view();
  }

  /** A topology file's text, validated ('bad-input' on topologyJson.<path>); backends dropped as for saved ones. */
  private file(json: string): Topology {
    const r = loadTopology(json);
    if (!r.ok) {
      const first = r.errors[0]!;
      throw new ApiError('bad-input', `topologyJson: ${r.errors.map((e) => `${e.path || '(file)'}: ${e.message}`).join('; ')}`, first.path ? `topologyJson.${first.path}` : 'topologyJson');
    }
    for (const e of topologyEndpoints(r.topology)) delete e.backend;
    return r.topology;
  }

  /**
   * A topology saved in the store (topologies.save), validated again (it was valid when saved). Endpoint backends
   * are not applied to a live bench: it is the emulated platform (hardware swaps apply to runs).
   */
  private saved(name: string): Topology | undefined {
    const row = this.store.topologies.get(name);
    if (!row) return undefined;
    const r = loadTopology(row.json);
    if (!r.ok) throw new ApiError('bad-input', `saved topology "${name}" is no longer valid: ${r.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, 'topology');
    for (const e of topologyEndpoints(r.topology)) delete e.backend;
    return r.topology;
  }

  /** The open bench of a session; a not-found naming `sessionId` when there is none. */
  get(sessionId: number): LivePlatform {
    const live = this.alive(sessionId);
    if (!live) throw new ApiError('not-found', `session ${sessionId} has no live bench open (live.open first)`, 'sessionId');
    return live;
  }

  find(sessionId: number): LiveBench | null {
    return this.alive(sessionId)?.view() ?? null;
  }

  close(sessionId: number): Run {
    const live = this.get(sessionId);
    live.close();
    this.benches.delete(sessionId);
    return this.store.runs.get(live.runId)!;
  }

  closeAll(): void {
    for (const id of [...this.benches.keys()]) {
      const live = this.benches.get(id)!;
      if (this.store.runs.get(live.runId)) live.close();
      this.benches.delete(id);
    }
  }

  /** A bench whose console run was deleted with its session is dropped, never written to again. */
  private alive(sessionId: number): LivePlatform | undefined {
    const live = this.benches.get(sessionId);
    if (live && !this.store.runs.get(live.runId)) {
      this.benches.delete(sessionId);
      return undefined;
    }
    return live;
  }
}
