// The decode chain of an HPA as the host can read it back from the hardware: CFMWS (CEDT, modulo or XOR with
// CXIMS) -> host bridge decoder (or pass-through) -> switch decoders -> endpoint decoder -> DPA. Built from the
// registers every component holds now (readDecodeSnapshot), then walked without I/O (decodeHpa), naming the
// hop where the chain breaks (no committed decoder, a target port that is not there, Mem_Enable clear ...).
// The arithmetic is common/interleave-math.ts, the same the emulator routes with.

import { hpaToDpaOffset, targetPosition } from '../../common/interleave-math.js';
import type { Platform } from '../../common/platform.js';
import type { Target } from '../../common/target.js';
import { hex } from './bytes.js';
import { cedtParse, type Cedt, type Cfmws } from './cedt.js';
import { decoderTargets, HDM, HDM_DECODER_ENABLE, hdmRead, hdmReadDecoder, type DecoderState } from './hdm.js';
import { DVSEC0, DVSEC0_CTRL_MEM_ENABLE } from './memdev.js';
import { CXL_VENDOR_ID, DVSEC, pciFindDvsec } from './pci.js';
import { buildHostBridgeTree, type DecodeNode } from './topology-walk.js';

/** A committed decoder as read back; endpoints also carry the DPA it starts at (previous ends + skip). */
export interface ReadDecoder {
  index: number;
  base: number;
  size: number;
  ways: number;
  granularity: number;
  targets: number[];
  skip: number;
  dpaBase: number;
  locked: boolean;
}

export interface SnapshotNode {
  kind: DecodeNode['kind'];
  path: string;
  /** No HDM Decoder Capability: a pass-through port (Linux's passthrough decoder). */
  passThrough: boolean;
  decoderCount: number;
  decoders: ReadDecoder[];
  children: Array<{ port: number; portPath: string; node: SnapshotNode }>;
  /** Endpoints: HDM Decoder Enable (Global Control) and Mem_Enable (DVSEC CXL Control). */
  hdmEnabled?: boolean;
  memEnabled?: boolean;
}

export interface DecodeSnapshot {
  cedt: Cedt;
  /** Host bridge trees by CHBS UID. */
  bridges: Map<number, SnapshotNode>;
  /** The raw trees (for region planning and cxl-list). */
  trees: DecodeNode[];
}

export interface DecodeHop {
  level: 'window' | 'host-bridge' | 'switch' | 'endpoint';
  node: string;
  decoder?: number;
  /** What this hop did: "CFMWS0 2-way XOR x 256 B -> target 1 (UID 1)". */
  detail: string;
}

export interface DecodeChain {
  hpa: number;
  ok: boolean;
  hops: DecodeHop[];
  endpoint?: string;
  dpa?: number;
  /** Where and why the chain breaks. */
  broken?: { node: string; reason: string };
}

const readDecoders = async (n: DecodeNode): Promise<ReadDecoder[]> => {
  if (!n.hdm) return [];
  const out: ReadDecoder[] = [];
  let dpaEnd = 0;
  for (let i = 0; i < n.decoderCount; i++) {
    const d: DecoderState = await hdmReadDecoder(n.hdm, i);
    if (!d.committed) continue;
    const ways = d.ways ?? 1;
    const skip = n.kind === 'endpoint' ? ((d.tlLo & 0xf000_0000) >>> 0) + (d.tlHi >>> 0) * 2 ** 32 : 0;
    const dpaBase = n.kind === 'endpoint' ? dpaEnd + skip : 0;
    if (n.kind === 'endpoint') dpaEnd = dpaBase + d.size / ways;
    out.push({ index: i, base: d.base, size: d.size, ways, granularity: d.granularity, targets: n.kind === 'endpoint' ? [] : decoderTargets(d), skip, dpaBase, locked: d.lockOnCommit });
  }
  return out;
};

async function snapshotOf(n: DecodeNode): Promise<SnapshotNode> {
  const s: SnapshotNode = { kind: n.kind, path: n.path, passThrough: n.hdm === null, decoderCount: n.decoderCount, decoders: await readDecoders(n), children: [] };
  for (const c of n.children) s.children.push({ port: c.port, portPath: c.portPath, node: await snapshotOf(c.node) });
  if (n.kind === 'endpoint' && n.target) {
    s.hdmEnabled = n.hdm ? ((await hdmRead(n.hdm, HDM.globalCtrl)) & HDM_DECODER_ENABLE) !== 0 : false;
    s.memEnabled = await memEnabled(n.target);
  }
  return s;
}

async function memEnabled(t: Target): Promise<boolean> {
  const dv = await pciFindDvsec(t, CXL_VENDOR_ID, DVSEC.cxlDevice);
  return dv ? ((await t.cfgRead(dv + DVSEC0.ctrl, 2)) & DVSEC0_CTRL_MEM_ENABLE) !== 0 : false;
}

/** Read the CEDT and every component's committed decoders (traced like any host access). */
export async function readDecodeSnapshot(p: Platform, targets: ReadonlyMap<string, Target>): Promise<DecodeSnapshot> {
  const cedt = cedtParse(p.cedt());
  const bridges = new Map<number, SnapshotNode>();
  const trees: DecodeNode[] = [];
  for (const [i, c] of cedt.chbs.entries()) {
    const tree = await buildHostBridgeTree(p, c, i, targets);
    trees.push(tree);
    bridges.set(c.uid, await snapshotOf(tree));
  }
  return { cedt, bridges, trees };
}

export const windowOf = (cedt: Cedt, hpa: number): Cfmws | undefined => cedt.cfmws.find((w) => w.error === undefined && hpa >= w.base && hpa < w.base + w.size);

/** Walk one HPA through the snapshot. Never throws. */
export function decodeHpa(s: DecodeSnapshot, hpa: number): DecodeChain {
  const hops: DecodeHop[] = [];
  const fail = (node: string, reason: string): DecodeChain => ({ hpa, ok: false, hops, broken: { node, reason } });
  const w = windowOf(s.cedt, hpa);
  if (!w || w.ways === null) return fail('root', `no CFMWS window claims HPA ${hex(hpa, 12)}`);
  const xor = w.arithmetic === 1 ? (w.xorMaps ?? []) : null;
  const t = targetPosition(hpa, w.ways, w.granularity, xor, w.base);
  const uid = w.targets[t]!;
  hops.push({ level: 'window', node: `CFMWS${w.index}`, detail: `${w.ways}-way ${xor ? 'XOR' : 'modulo'} × ${w.granularity} B -> target ${t} (host bridge UID ${uid})` });
  let n = s.bridges.get(uid);
  if (!n) return fail(`CFMWS${w.index}`, `target ${t} names UID ${uid}, which no CHBS describes`);
  for (;;) {
    const level = n.kind;
    if (level === 'endpoint') {
      if (!n.memEnabled) return fail(n.path, 'Mem_Enable is clear in the CXL DVSEC (CXL 2.0 8.1.3.2): the device does not decode CXL.mem');
      if (!n.hdmEnabled) return fail(n.path, 'HDM Decoder Enable is clear (CXL 2.0 8.2.5.12.2)');
      const d = n.decoders.find((x) => hpa >= x.base && hpa < x.base + x.size);
      if (!d) return fail(n.path, `no committed HDM decoder claims HPA ${hex(hpa, 12)}${committedText(n)}`);
      const dpa = d.dpaBase + hpaToDpaOffset(hpa, d.base, d.ways, d.granularity);
      hops.push({ level, node: n.path, decoder: d.index, detail: `decoder ${d.index} ${d.ways}-way × ${d.granularity} B, DPA base ${hex(d.dpaBase)} (skip ${hex(d.skip)}) -> DPA ${hex(dpa)}` });
      return { hpa, ok: true, hops, endpoint: n.path, dpa };
    }
    const cur: SnapshotNode = n;
    let next: SnapshotNode['children'][number] | undefined;
    if (cur.passThrough) {
      if (n.children.length !== 1) return fail(n.path, `no HDM decoders and ${n.children.length} downstream ports`);
      next = n.children[0]!;
      hops.push({ level, node: n.path, detail: `pass-through -> port ${next.port} (${next.portPath})` });
    } else {
      const d: ReadDecoder | undefined = cur.decoders.find((x) => hpa >= x.base && hpa < x.base + x.size);
      if (!d) return fail(cur.path, `no committed HDM decoder claims HPA ${hex(hpa, 12)}${committedText(cur)}`);
      const pos = targetPosition(hpa, d.ways, d.granularity);
      const port: number | undefined = d.targets[pos];
      next = n.children.find((c) => c.port === port);
      const detail = `decoder ${d.index} ${d.ways}-way × ${d.granularity} B targets [${d.targets.join(', ')}] -> position ${pos} = port ${port}`;
      hops.push({ level, node: n.path, decoder: d.index, detail });
      if (!next) return fail(n.path, `decoder ${d.index} position ${pos} names port ${port}, which is not a downstream port with a device (ports: ${n.children.map((c) => c.port).join(', ') || 'none'})`);
    }
    n = next.node;
  }
}

const committedText = (n: SnapshotNode): string =>
  n.decoders.length ? ` (committed: ${n.decoders.map((d) => `decoder ${d.index} ${hex(d.base, 12)}+${hex(d.size)}`).join(', ')})` : ' (no decoder committed)';
