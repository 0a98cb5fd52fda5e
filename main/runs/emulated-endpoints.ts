// A run environment from one of the built-in topologies: the whole emulated platform (emulator/topology
// buildPlatform: ECAM by BDF, CHBCRs, MMIO through the windows, the HPA memory path, the CEDT) tracing into the
// run, enumerated as firmware would before the host sequence starts (firmware's config cycles are the first
// events of the trace), with every node's layout stored for decode.

import type { Clock } from '../../common/clock.js';
import type { TraceSink } from '../../common/trace-sink.js';
import type { DeviceProfile } from '../../emulator/type3/config.js';
import { defaultTopology, isDefaultTopologyName } from '../../emulator/topology/default-topology.js';
import { DEFAULT_TOPOLOGY_NAMES } from '../../emulator/topology/defaults/index.js';
import { buildTimedPlatform, type LatencyClock } from '../../emulator/timing/index.js';
import type { EndpointNode, PortNode, SwitchNode, Topology } from '../../emulator/topology/types.js';
import type { RunEnvironment } from './environment.js';

export const BUILTIN_TOPOLOGIES: readonly string[] = DEFAULT_TOPOLOGY_NAMES;

/** Every endpoint below the topology's ports, in path order. */
export function topologyEndpoints(t: Topology): EndpointNode[] {
  const out: EndpointNode[] = [];
  const visit = (n: EndpointNode | SwitchNode | null): void => {
    if (!n) return;
    if (n.kind === 'endpoint') out.push(n);
    else n.downstreamPorts.forEach((p: PortNode) => visit(p.child));
  };
  for (const hb of t.hostBridges) hb.rootPorts.forEach((p) => visit(p.child));
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

export interface EmulatedOptions {
  /** Every endpoint's device profile instead of the topology's (replay against QEMU's layout: 'qemu'). */
  profile?: DeviceProfile;
  /** Enumerate like firmware before the sequence (default true). A replay brings its own firmware cycles. */
  enumerate?: boolean;
  /** The trace's clock: emulated accesses add their profile's latency to it (emulator/timing). */
  traceClock?: LatencyClock;
}

export function emulatedPlatform(name: string, clock: Clock, sink: TraceSink, opts: EmulatedOptions = {}): RunEnvironment {
  if (!isDefaultTopologyName(name)) throw new Error(`unknown topology "${name}"`);
  return emulatedPlatformOf(defaultTopology(name), clock, sink, opts);
}

/** The same from a validated topology (a saved or file topology: main/runs/topology-source.ts). */
export function emulatedPlatformOf(topology: Topology, clock: Clock, sink: TraceSink, opts: EmulatedOptions = {}): RunEnvironment {
  if (opts.profile) for (const e of topologyEndpoints(topology)) (e as { profile: DeviceProfile }).profile = opts.profile;
  // Accesses take their profile's time on the run's virtual clock (emulator/timing), so the trace has a time axis.
  const platform = buildTimedPlatform(topology, { clock, sink, ...(opts.traceClock ? { traceClock: opts.traceClock } : {}) });
  if (opts.enumerate !== false) platform.enumerateLikeFirmware();
  return { targets: platform.targets(), platform, layout: platform.layout() };
}

/** The earlier name (endpoint-only environments), kept for callers such as main/compare/topology-layout.ts. */
export const emulatedEndpoints = emulatedPlatform;
