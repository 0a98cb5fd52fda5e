// The node list of an emulated platform for the UI and CLI: every host bridge and PCI function with its kind,
// backend and, once enumerated, its BDF (found by following each bridge's secondary bus number, as config
// cycles are routed — PCI-to-PCI Bridge 1.2, 3.2.5.3).

import { bdf, formatBdf } from '../../common/units.js';
import type { EmulatedPlatform } from '../../emulator/topology/platform.js';
import type { FnRec } from '../../emulator/topology/platform-nodes.js';
import { bridgeBuses } from '../../emulator/topology/bridge-registers.js';
import type { EndpointNode, PortNode, SwitchNode, Topology } from '../../emulator/topology/types.js';
import type { TopologyNodeInfo } from '../api/contract-live.js';

/** Hardware link URIs of the topology's endpoints that have one, by path. */
function hardwareBackends(t: Topology): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (n: EndpointNode | SwitchNode | null): void => {
    if (!n) return;
    if (n.kind === 'endpoint') {
      if (n.backend) out.set(n.path, n.backend.link);
    } else n.downstreamPorts.forEach((p: PortNode) => visit(p.child));
  };
  for (const hb of t.hostBridges) hb.rootPorts.forEach((p) => visit(p.child));
  return out;
}

/** Host bridges first, then each root port's subtree depth first (the platform's own order). */
export function platformNodeInfos(p: EmulatedPlatform): TopologyNodeInfo[] {
  const hw = hardwareBackends(p.topology);
  const out: TopologyNodeInfo[] = [];
  const visit = (f: FnRec, bus: number): void => {
    const info: TopologyNodeInfo = { path: f.path, kind: f.kind, backend: hw.get(f.path) ?? 'emulated' };
    // Bus 0 below a bridge means enumeration has not numbered it yet: no BDF to show.
    if (bus > 0 || f.kind === 'root-port') info.bdf = formatBdf(bdf(bus, f.devNum, 0));
    out.push(info);
    const secondary = f.header ? bridgeBuses(f.header).secondary : 0;
    for (const c of f.below) visit(c, secondary);
  };
  for (const h of p.hostBridges) {
    out.push({ path: h.path, kind: 'host-bridge', backend: 'emulated' });
    for (const rp of h.rootPorts) visit(rp, h.bus);
  }
  return out;
}
