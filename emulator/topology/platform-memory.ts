// The memory path's view (emulator/memory MemHierarchy) of a built platform: windows -> host bridges -> root
// ports -> switches (USP decoders, DSPs) -> endpoints (decoders, media through the device's backend).

import { pow2Ways } from '../../common/interleave-math.js';
import type { HdmDecoders } from '../hdm/hdm-decoders.js';
import type { CommittedDecoder } from '../hdm/commit-checks.js';
import type { MemEndpoint, MemHierarchy, MemHostBridge, MemPort, MemSwitch } from '../memory/hierarchy.js';
import type { FnRec, HbRec } from './platform-nodes.js';
import type { Topology } from './types.js';

/** PCIe DVSEC for CXL Devices: CXL Control at +0x0C, Mem_Enable bit 2 (CXL 2.0 8.1.3.2). */
const DVSEC_CXL_CONTROL = 0x0c;
const MEM_ENABLE = 1 << 2;
/** DVSEC CXL Range 1/2 Base High and Low (CXL 2.0 8.1.3.8.3-4). */
const RANGE_BASE_REGS = [0x20, 0x24, 0x30, 0x34];

export function memoryHierarchy(t: Topology, hbs: readonly HbRec[]): MemHierarchy {
  const decoders: HdmDecoders[] = [];

  const endpoint = (r: FnRec): MemEndpoint | null => {
    const dev = r.type3;
    if (!dev || !r.hdm) return null;
    decoders.push(r.hdm);
    const be = dev.backend;
    // CXL 2.0 8.1.3.2: CXL.mem answers only with Mem_Enable set (Linux sets it in cxl_hdm_decode_init). The
    // route cache follows writes to CXL Control (the DVSEC block has no other hook on it).
    const dvsec = dev.block('dvsec-cxl-device', 'cfg');
    const hdm = r.hdm;
    dvsec?.onWrite(DVSEC_CXL_CONTROL, () => hdm.invalidate());
    // DVSEC CXL Range n Base (CXL 2.0 8.1.3.8.3-4): software moves the ranges; routes through them change.
    for (const o of RANGE_BASE_REGS) dvsec?.onWrite(o, () => hdm.invalidate());
    let rangeKey = '';
    let rangeList: CommittedDecoder[] = [];
    const dvsecRanges = (): readonly CommittedDecoder[] => {
      if (!dvsec) return [];
      const u64 = (hi: number, lo: number): number => dvsec.get(hi, 4) * 2 ** 32 + ((dvsec.get(lo, 4) & 0xf000_0000) >>> 0);
      const raw = [0, 0x10].map((d) => ({ size: u64(0x18 + d, 0x1c + d), base: u64(0x20 + d, 0x24 + d) }));
      const key = raw.map((x) => `${x.base}:${x.size}`).join(',');
      if (key !== rangeKey) {
        rangeKey = key;
        let dpaBase = 0;
        rangeList = [];
        raw.forEach((x, i) => {
          if (x.size > 0) rangeList.push({ index: i, base: x.base, size: x.size, ways: 1, granularity: 256, targets: [], dpaBase, dpaSize: x.size, hostOnly: true, locked: false });
          dpaBase += x.size;
        });
      }
      return rangeList;
    };
    return {
      kind: 'endpoint',
      path: r.path,
      hdm,
      memEnabled: () => !dvsec || (dvsec.get(DVSEC_CXL_CONTROL, 2) & MEM_ENABLE) !== 0,
      dvsecRanges,
      mediaAccess: (d, n) => be.mediaAccess(d, n),
      read: (d, out) => be.media.read(d, out),
      write: (d, data) => be.media.write(d, data),
    };
  };

  const sw = (usp: FnRec): MemSwitch | null => {
    if (!usp.hdm) return null;
    decoders.push(usp.hdm);
    return { kind: 'switch', path: usp.path, hdm: usp.hdm, ports: new Map(usp.below.map((d) => [d.port, port(d)])) };
  };

  const port = (p: FnRec): MemPort => {
    const c = p.below[0];
    return { path: p.path, child: !c ? null : c.kind === 'type3' ? endpoint(c) : sw(c) };
  };

  const bridges = new Map<number, MemHostBridge>();
  for (const h of hbs) {
    if (h.regs.hdm) decoders.push(h.regs.hdm);
    bridges.set(h.uid, { path: h.path, uid: h.uid, hdm: h.regs.hdm, rootPorts: new Map(h.rootPorts.map((r) => [r.port, port(r)])) });
  }
  const windows = t.windows.map((w) => ({
    name: w.name,
    base: w.base,
    size: w.size,
    granularity: w.granularity,
    targets: w.targets.map((uid) => bridges.get(uid) ?? null),
    ...(w.arithmetic === 'xor' ? { xorMaps: w.xorMaps.slice(0, Math.round(Math.log2(pow2Ways(w.targets.length)))) } : {}),
  }));
  return { windows, decoders };
}
