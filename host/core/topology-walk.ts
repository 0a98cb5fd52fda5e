// The decode tree a region needs, built from what the host can see: the CEDT (host bridges by CHBS order,
// windows), the run's targets by topology path (emulator/topology/paths.ts naming: hb<i>.rp<port>[.sw0.usp |
// .sw0.dsp<port>].ep0), each port's number from PCIe Link Capabilities, and each component's HDM decoders.

import type { Platform } from '../../common/platform.js';
import type { Target } from '../../common/target.js';
import type { Chbs } from './cedt.js';
import { hdmCapsDecode, type HdmAt, type HdmCaps } from './hdm.js';
import { CXL_MEMORY_CLASS, pciePortNumber, pciReadIds } from './pci.js';
import { barComponentAccess, CMCAP, componentCapArrayRead, componentCapOffset, RBI, regLocatorRead, type ComponentAccess } from './regs.js';

/** A component with HDM decoders (host bridge, switch USP, endpoint), or a pass-through one. */
export interface DecodeNode {
  kind: 'host-bridge' | 'switch' | 'endpoint';
  path: string;
  /** HDM decoder structure, or null for a pass-through (one downstream port, no HDM capability). */
  hdm: HdmAt | null;
  decoderCount: number;
  /** The HDM Decoder Capability register, decoded (null without HDM decoders). */
  caps: HdmCaps | null;
  /** Downstream ports in port-number order: the port id and the node below it. */
  children: Array<{ port: number; portPath: string; node: DecodeNode }>;
  /** Endpoints only. */
  target?: Target;
}

interface HdmFound {
  hdm: HdmAt | null;
  count: number;
  caps: HdmCaps | null;
}

async function hdmOfComponent(acc: ComponentAccess): Promise<HdmFound> {
  const arr = await componentCapArrayRead(acc);
  const off = componentCapOffset(arr, CMCAP.hdm);
  if (off === null) return { hdm: null, count: 0, caps: null };
  const caps = hdmCapsDecode(await acc.read32(off));
  return { hdm: { regs: acc, base: off }, count: caps.decoderCount, caps };
}

async function hdmOfTarget(t: Target): Promise<HdmFound> {
  const loc = await regLocatorRead(t);
  const b = loc.blocks.find((x) => x.rbi === RBI.component);
  if (!b) return { hdm: null, count: 0, caps: null };
  return hdmOfComponent(barComponentAccess(t, b.bar, b.offset));
}

/** Build the tree under host bridge `index` (path hb<index>) whose component registers are the CHBS's CHBCR. */
export async function buildHostBridgeTree(p: Platform, chbs: Chbs, index: number, targets: ReadonlyMap<string, Target>): Promise<DecodeNode> {
  const path = `hb${index}`;
  const acc: ComponentAccess = { read32: (o) => p.mmioRead(chbs.base + o, 4), write32: (o, v) => p.mmioWrite(chbs.base + o, 4, v) };
  const h = await hdmOfComponent(acc);
  const node: DecodeNode = { kind: 'host-bridge', path, hdm: h.hdm, decoderCount: h.count, caps: h.caps, children: [] };
  node.children = await childrenOf(path, /^rp\d+$/, targets);
  return node;
}

const directChildren = (parent: string, pattern: RegExp, targets: ReadonlyMap<string, Target>): Target[] =>
  [...targets.values()].filter((t) => t.node.startsWith(`${parent}.`) && pattern.test(t.node.slice(parent.length + 1)));

async function childrenOf(parent: string, portPattern: RegExp, targets: ReadonlyMap<string, Target>): Promise<DecodeNode['children']> {
  const out: DecodeNode['children'] = [];
  for (const port of directChildren(parent, portPattern, targets)) {
    const num = (await pciePortNumber(port)) ?? Number(/\d+$/.exec(port.node)?.[0] ?? 0);
    const below = await nodeBelowPort(port.node, targets);
    if (below) out.push({ port: num, portPath: port.node, node: below });
  }
  return out.sort((a, b) => a.port - b.port);
}

async function nodeBelowPort(portPath: string, targets: ReadonlyMap<string, Target>): Promise<DecodeNode | null> {
  const ep = targets.get(`${portPath}.ep0`);
  if (ep) {
    const ids = await pciReadIds(ep);
    if (ids.classCode !== CXL_MEMORY_CLASS) return null;
    const h = await hdmOfTarget(ep);
    return { kind: 'endpoint', path: ep.node, hdm: h.hdm, decoderCount: h.count, caps: h.caps, children: [], target: ep };
  }
  const usp = targets.get(`${portPath}.sw0.usp`);
  if (usp) {
    const h = await hdmOfTarget(usp);
    const sw = `${portPath}.sw0`;
    return { kind: 'switch', path: usp.node, hdm: h.hdm, decoderCount: h.count, caps: h.caps, children: await childrenOf(sw, /^dsp\d+$/, targets) };
  }
  return null;
}

/** Every endpoint under a node, depth first in port order. */
export function endpointsUnder(n: DecodeNode): DecodeNode[] {
  return n.kind === 'endpoint' ? [n] : n.children.flatMap((c) => endpointsUnder(c.node));
}
