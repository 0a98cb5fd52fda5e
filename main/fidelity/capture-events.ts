// A real capture (test/fixtures/qemu-linux/<name>) as per-node access streams and register layouts: the QEMU
// trace placed on the topology's nodes (trace/formats/qemu-import.ts), and each node's layout discovered from
// what the guest itself read (a snapshot target answering every byte with the first value the trace shows for
// it — structure headers do not change — and 0 for bytes the guest never read).

import type { Width } from '../../common/access.js';
import type { NodeLayout } from '../../common/layout.js';
import type { Target } from '../../common/target.js';
import { discoverFunction } from '../../host/core/discover.js';
import { BLOCK_ID, CMCAP_BLOCK_ID } from '../../host/core/block-ids.js';
import type { PlacedBlock } from '../../common/layout.js';
import type { AccessEvent } from '../../trace/event.js';
import { importQemuTrace } from '../../trace/formats/qemu-import.js';
import type { QemuCapture } from '../qemu/qemu-fixture.js';

export interface CaptureStreams {
  /** Access events of each node, in trace order. */
  byNode: Map<string, AccessEvent[]>;
  /** Every access event, in trace order. */
  all: AccessEvent[];
  layouts: Map<string, NodeLayout>;
  /** Node kind from the plan (QEMU -device type). */
  types: Map<string, string>;
}

const BAR_INDEX: Readonly<Record<string, number>> = { bar0: 0, bar1: 1, bar2: 2, bar3: 3, bar4: 4, bar5: 5 };

/** A read-only Target over the bytes a node's trace read (first value wins). */
export function snapshotTarget(node: string, events: readonly AccessEvent[]): Target {
  const bytes = new Map<string, Map<number, number>>();
  for (const e of events) {
    if (e.op !== 'R') continue;
    const m = bytes.get(e.region) ?? new Map<number, number>();
    bytes.set(e.region, m);
    for (let i = 0; i < e.width; i++) if (!m.has(e.offset + i)) m.set(e.offset + i, Number((e.value >> BigInt(8 * i)) & 0xffn));
  }
  const read = (region: string, off: number, w: number): number => {
    const m = bytes.get(region);
    let v = 0;
    for (let i = 0; i < w; i++) v |= (m?.get(off + i) ?? 0) << (8 * i);
    return v >>> 0;
  };
  const read64 = (region: string, off: number): bigint => BigInt(read(region, off, 4)) | (BigInt(read(region, off + 4, 4)) << 32n);
  const bar = (n: number) => (n < 0 ? 'chbcr' : `bar${n}`);
  return {
    node,
    backend: 'capture',
    cfgRead: async (o, w) => read('cfg', o, w),
    cfgWrite: async () => {},
    barRead: async (b, o, w) => read(bar(b), o, w),
    barWrite: async () => {},
    barRead64: async (b, o) => read64(bar(b), o),
    barWrite64: async () => {},
  };
}

export async function captureStreams(cap: QemuCapture): Promise<CaptureStreams> {
  const r = importQemuTrace(cap.trace, { devices: cap.meta.devices, windows: cap.meta.windows });
  const byNode = new Map<string, AccessEvent[]>();
  for (const e of r.events) {
    const list = byNode.get(e.node) ?? [];
    list.push(e);
    byNode.set(e.node, list);
  }
  const layouts = new Map<string, NodeLayout>();
  const types = new Map(cap.meta.devices.map((d) => [d.node, d.type] as const));
  for (const [node, events] of byNode) {
    if (types.get(node) === 'pxb-cxl') {
      layouts.set(node, { node, kind: 'host-bridge', blocks: await chbcrBlocks(snapshotTarget(node, events)) });
      continue;
    }
    if (!types.has(node)) continue;
    const f = await discoverFunction(snapshotTarget(node, events));
    if (f.layout) layouts.set(node, f.layout);
  }
  return { byNode, all: r.events, layouts, types };
}

/** A host bridge's CHBCR structures (CXL 2.0 8.2.4): the CXL.cache/mem capability array at +0x1000 and its entries. */
async function chbcrBlocks(t: Target): Promise<PlacedBlock[]> {
  const read = (o: number) => t.barRead(-1, o, 4);
  const hdr = await read(0x1000);
  const blocks: PlacedBlock[] = [{ region: 'chbcr', base: 0x1000, block: BLOCK_ID.componentCapArray }];
  if ((hdr & 0xffff) !== 1) return blocks;
  for (let i = 1; i <= hdr >>> 24; i++) {
    const h = await read(0x1000 + 4 * i);
    const id = CMCAP_BLOCK_ID[h & 0xffff];
    if (id) blocks.push({ region: 'chbcr', base: 0x1000 + ((h >>> 20) & 0xfff), block: id });
  }
  return blocks;
}

export const barIndex = (region: string): number | undefined => BAR_INDEX[region];
export const asWidth = (w: number): Width => w as Width;
