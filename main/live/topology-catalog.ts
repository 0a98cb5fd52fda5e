// Topologies as the user reaches them (topology.list / show / check, `cxl-bench topology`): the built-in ones by
// name with a one-line description, and topology files (JSON text) validated with every named-field error.
// A view builds the platform and enumerates it as firmware would, so the node list carries real BDFs.

import { VirtualClock } from '../../common/clock.js';
import { DEFAULT_TOPOLOGY_NAMES, defaultTopology, isDefaultTopologyName } from '../../emulator/topology/index.js';
import { loadTopology } from '../../emulator/topology/load.js';
import { formatBytes } from '../../emulator/topology/numbers.js';
import { buildPlatform } from '../../emulator/topology/platform.js';
import { topologyTree } from '../../emulator/topology/tree.js';
import type { EndpointNode, PortNode, SwitchNode, Topology } from '../../emulator/topology/types.js';
import type { TopologyCheckResult, TopologySummary, TopologyView } from '../api/contract-live.js';
import { platformNodeInfos } from './node-infos.js';

/** The run environment's empty bench (main/runs/environment.ts): listed, but it has no platform to show. */
export const EMPTY_TOPOLOGY = 'none';

export const liveTopologyNames = (): string[] => [...DEFAULT_TOPOLOGY_NAMES];

export const isLiveTopology = (name: string): boolean => isDefaultTopologyName(name);

interface Counts {
  rootPorts: number;
  switches: number;
  endpoints: EndpointNode[];
}

function count(t: Topology): Counts {
  const c: Counts = { rootPorts: 0, switches: 0, endpoints: [] };
  const visit = (n: EndpointNode | SwitchNode | null): void => {
    if (!n) return;
    if (n.kind === 'endpoint') c.endpoints.push(n);
    else {
      c.switches++;
      n.downstreamPorts.forEach((p: PortNode) => visit(p.child));
    }
  };
  for (const hb of t.hostBridges) {
    c.rootPorts += hb.rootPorts.length;
    hb.rootPorts.forEach((p) => visit(p.child));
  }
  return c;
}

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

/** "1 host bridge, 2 root ports, 2 Type 3 (256 MiB volatile + 256 MiB persistent each), 1 window 4 GiB". */
export function describeTopology(t: Topology): string {
  const c = count(t);
  const parts = [plural(t.hostBridges.length, 'host bridge'), plural(c.rootPorts, 'root port')];
  if (c.switches) parts.push(plural(c.switches, 'switch').replace('switchs', 'switches'));
  const caps = new Set(
    c.endpoints.map((e) =>
      [e.volatileBytes ? `${formatBytes(e.volatileBytes)} volatile` : '', e.persistentBytes ? `${formatBytes(e.persistentBytes)} persistent` : '', e.partitionableBytes ? `${formatBytes(e.partitionableBytes)} partitionable` : '']
        .filter(Boolean)
        .join(' + '),
    ),
  );
  const capText = caps.size === 1 ? ` (${[...caps][0]}${c.endpoints.length > 1 ? ' each' : ''})` : '';
  parts.push(`${c.endpoints.length} Type 3${capText}`);
  const win = t.windows.map((w) => formatBytes(w.size)).join(' + ');
  parts.push(`${plural(t.windows.length, 'window')}${win ? ` ${win}` : ''}`);
  return parts.join(', ');
}

export function topologySummaries(): TopologySummary[] {
  return [
    ...liveTopologyNames().map((name) => ({ name, description: describeTopology(defaultTopology(name as never)) })),
    { name: EMPTY_TOPOLOGY, description: 'empty bench: no targets (for sequences that bring their own stimulus)' },
  ];
}

/** Tree text and enumerated node list of a validated topology. */
export function topologyView(t: Topology): TopologyView {
  const p = buildPlatform(t, { clock: new VirtualClock() });
  p.enumerateLikeFirmware();
  return { name: t.name, tree: topologyTree(t), nodes: platformNodeInfos(p) };
}

/** A built-in topology by name (undefined when unknown). */
export const builtinTopology = (name: string): Topology | undefined => (isDefaultTopologyName(name) ? defaultTopology(name) : undefined);

/** A topology saved with topologies.save (undefined when none of that name, or no longer valid). */
export function savedTopology(repo: { get(name: string): { json: string } | undefined }, name: string): Topology | undefined {
  const row = repo.get(name);
  if (!row) return undefined;
  const r = loadTopology(row.json);
  return r.ok ? r.topology : undefined;
}

/** Validate a topology file's text: every error with its field path, or the view. */
export function checkTopologyText(json: string): TopologyCheckResult {
  const r = loadTopology(json);
  if (!r.ok) return { ok: false, errors: r.errors.map((e) => ({ path: e.path, message: e.message })) };
  return { ok: true, errors: [], view: topologyView(r.topology) };
}
