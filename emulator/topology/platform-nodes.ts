// The platform's runtime tree, built from a validated Topology: one record per PCI function (root ports,
// switch USPs and DSPs, Type 3 endpoints) with its device number on the parent bus and the functions on its
// secondary bus, plus one record per host bridge (CHBCR, root bus, root ports).

import type { Clock } from '../../common/clock.js';
import type { CfgWidth } from '../../common/access.js';
import type { NodeKind, PlacedBlock } from '../../common/layout.js';
import type { TraceSink } from '../../common/trace-sink.js';
import type { StatusReportingFunction } from '../device/emulated-function.js';
import { EmulatedTarget } from '../emulated-target.js';
import { HDM_BLOCK_ID } from '../hdm/hdm-decl.js';
import { hdmDecodersOf, type HdmDecoders } from '../hdm/hdm-decoders.js';
import type { RegisterBlock } from '../regs/register-block.js';
import { createType3, type Type3Device } from '../type3/type3-device.js';
import type { Type3Config } from '../type3/config.js';
import { createHostBridgeRegs, type HostBridgeRegs } from './host-bridge.js';
import { chbcrAddress } from './memory-map.js';
import { uspPath } from './paths.js';
import { createPortFunction } from './port-function.js';
import type { EndpointNode, HostBridgeNode, PortNode, SwitchNode, Topology } from './types.js';

/** Delegates to a function and reports config writes (so the MMIO decode can be rebuilt). */
class WatchedFunction implements StatusReportingFunction {
  constructor(
    private readonly inner: StatusReportingFunction,
    private readonly onCfgWrite: () => void,
  ) {}
  lastStatus(): number {
    return this.inner.lastStatus();
  }
  cfgRead(o: number, w: CfgWidth): number {
    return this.inner.cfgRead(o, w);
  }
  cfgWrite(o: number, w: CfgWidth, v: number): void {
    this.inner.cfgWrite(o, w, v);
    this.onCfgWrite();
  }
  barRead(b: number, o: number, w: CfgWidth): number {
    return this.inner.barRead(b, o, w);
  }
  barWrite(b: number, o: number, w: CfgWidth, v: number): void {
    this.inner.barWrite(b, o, w, v);
  }
  barRead64(b: number, o: number): bigint {
    return this.inner.barRead64(b, o);
  }
  barWrite64(b: number, o: number, v: bigint): void {
    this.inner.barWrite64(b, o, v);
  }
  barSizes(): readonly number[] {
    return this.inner.barSizes();
  }
}

export interface FnRec {
  path: string;
  kind: Exclude<NodeKind, 'host-bridge'>;
  /** The function's own model (untraced; for the bus model's reads of BARs and bridge registers). */
  model: StatusReportingFunction;
  target: EmulatedTarget;
  /** Bridges: the type-1 header block. */
  header: RegisterBlock | null;
  /** USP: its HDM decoders; endpoints: theirs. */
  hdm: HdmDecoders | null;
  /** Port number (root/downstream ports: PCIe Link Capabilities Port Number; what target lists name). */
  port: number;
  /** Device number on the parent's secondary bus (root ports: on the host bridge's root bus). */
  devNum: number;
  /** Functions on this bridge's secondary bus. */
  below: FnRec[];
  type3: Type3Device | null;
  layout(): PlacedBlock[];
}

export interface HbRec {
  path: string;
  uid: number;
  bus: number;
  chbcrBase: number;
  regs: HostBridgeRegs;
  rootPorts: FnRec[];
}

export interface BuildOptions {
  clock: Clock;
  sink: TraceSink | null;
  commitPolls: number;
  /** Called on any config write to any function. */
  onCfgWrite: () => void;
}

const type3Config = (e: EndpointNode): Type3Config => ({
  volatileBytes: e.volatileBytes,
  persistentBytes: e.persistentBytes,
  partitionableBytes: e.partitionableBytes,
  lsaBytes: e.lsaBytes,
  serial: e.serial,
  hdmDecoders: e.decoders,
  payloadSizeLog2: 11,
  profile: e.profile,
  ...(e.nonCxlFunctions ? { nonCxlFunctions: e.nonCxlFunctions } : {}),
  ...(e.mld ? { mld: { ...e.mld } } : {}),
});

/** Buses a port needs below it: its secondary bus, plus a switch's internal bus and its DSPs' subtrees. */
export const busesBelow = (p: PortNode): number =>
  1 + (p.child?.kind === 'switch' ? 1 + p.child.downstreamPorts.reduce((s, d) => s + busesBelow(d), 0) : 0);

export function buildPlatformNodes(t: Topology, o: BuildOptions): HbRec[] {
  const watch = (f: StatusReportingFunction): StatusReportingFunction => new WatchedFunction(f, o.onCfgWrite);

  const endpoint = (e: EndpointNode, devNum: number): FnRec => {
    const dev = createType3(type3Config(e), o.clock);
    const hdm = hdmDecodersOf(dev.block(HDM_BLOCK_ID, 'bar0')) ?? null;
    if (hdm) {
      hdm.dpaCapacity = () => e.volatileBytes + e.persistentBytes + e.partitionableBytes;
      hdm.commitPolls = o.commitPolls;
    }
    const model = dev.fn;
    return {
      path: e.path,
      kind: 'type3',
      model,
      target: new EmulatedTarget(watch(model), o.sink, e.path),
      header: null,
      hdm,
      port: 0,
      devNum,
      below: [],
      type3: dev,
      layout: () => dev.layout(),
    };
  };

  const portRec = (role: 'root-port' | 'switch-usp' | 'switch-dsp', path: string, port: number, devNum: number, sw?: SwitchNode): FnRec => {
    const pf = createPortFunction({ role, portNumber: port, hdmDecoders: sw?.decoders, targetCount: sw?.targetCount, commitPolls: o.commitPolls });
    return {
      path,
      kind: role,
      model: pf.fn,
      target: new EmulatedTarget(watch(pf.fn), o.sink, path),
      header: pf.header,
      hdm: pf.hdm,
      port,
      devNum,
      below: [],
      type3: null,
      layout: () => pf.layout(),
    };
  };

  const downstreamPort = (p: PortNode, devNum: number): FnRec => {
    const rec = portRec(p.kind, p.path, p.port, devNum);
    const c = p.child;
    if (c?.kind === 'endpoint') rec.below.push(endpoint(c, 0));
    else if (c?.kind === 'switch') {
      const usp = portRec('switch-usp', uspPath(c.path), 0, 0, c);
      c.downstreamPorts.forEach((d, i) => usp.below.push(downstreamPort(d, i)));
      const ports = new Set(c.downstreamPorts.map((d) => d.port));
      if (usp.hdm) usp.hdm.targetPresent = (n) => ports.has(n);
      rec.below.push(usp);
    }
    return rec;
  };

  let nextBus = 0;
  return t.hostBridges.map((h: HostBridgeNode, i) => {
    const bus = h.bus ?? nextBus;
    nextBus = Math.max(nextBus, bus + 1 + h.rootPorts.reduce((s, p) => s + busesBelow(p), 0));
    const regs = createHostBridgeRegs(h, o.commitPolls);
    const ports = new Set(h.rootPorts.map((p) => p.port));
    if (regs.hdm) regs.hdm.targetPresent = (n) => ports.has(n);
    return {
      path: h.path,
      uid: h.uid,
      bus,
      chbcrBase: chbcrAddress(t, i),
      regs,
      rootPorts: h.rootPorts.map((p, j) => downstreamPort(p, j)),
    };
  });
}

/** Every function record, depth first. */
export const allFunctions = (hbs: readonly HbRec[]): FnRec[] => {
  const out: FnRec[] = [];
  const visit = (r: FnRec): void => {
    out.push(r);
    r.below.forEach(visit);
  };
  hbs.forEach((h) => h.rootPorts.forEach(visit));
  return out;
};
