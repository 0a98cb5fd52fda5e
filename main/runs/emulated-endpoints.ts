// A run environment from one of the built-in topologies, endpoint by endpoint: every Type 3 endpoint of the
// topology becomes an emulated device (emulator/type3) behind an EmulatedTarget that traces into the run.
// Until emulator/topology builds whole Platforms (ECAM, CHBCRs, the HPA path), `platform` is null, so
// sequences take their per-function path (host/sequence.ts allows a null platform).

import type { Clock } from '../../common/clock.js';
import type { Layout } from '../../common/layout.js';
import type { Target } from '../../common/target.js';
import type { TraceSink } from '../../common/trace-sink.js';
import { EmulatedTarget } from '../../emulator/emulated-target.js';
import { defaultTopology, isDefaultTopologyName } from '../../emulator/topology/default-topology.js';
import { DEFAULT_TOPOLOGY_NAMES } from '../../emulator/topology/defaults/index.js';
import type { EndpointNode, PortNode, SwitchNode, Topology } from '../../emulator/topology/types.js';
import { createType3 } from '../../emulator/type3/type3-device.js';
import { defaultType3Config, type Type3Config } from '../../emulator/type3/config.js';
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

const type3Config = (e: EndpointNode): Type3Config => ({
  ...defaultType3Config(),
  volatileBytes: e.volatileBytes,
  persistentBytes: e.persistentBytes,
  partitionableBytes: e.partitionableBytes,
  lsaBytes: e.lsaBytes,
  serial: e.serial,
  hdmDecoders: e.decoders,
  profile: e.profile,
});

export function emulatedEndpoints(name: string, clock: Clock, sink: TraceSink): RunEnvironment {
  if (!isDefaultTopologyName(name)) throw new Error(`unknown topology "${name}"`);
  const targets = new Map<string, Target>();
  const layout: Layout = [];
  for (const ep of topologyEndpoints(defaultTopology(name))) {
    // Hardware endpoints need a link (hil/); the built-in topologies have none.
    if (ep.backend) continue;
    const dev = createType3(type3Config(ep), clock);
    targets.set(ep.path, new EmulatedTarget(dev.fn, sink, ep.path));
    layout.push({ node: ep.path, kind: 'type3', blocks: dev.layout() });
  }
  return { targets, platform: null, layout };
}
