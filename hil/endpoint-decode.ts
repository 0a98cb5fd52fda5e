// How a board decodes CXL.mem, read from the board's own registers: Mem_Enable and the DVSEC CXL Ranges (CXL 2.0
// 8.1.3.2, 8.1.3.8) in config space, HDM Decoder Enable and each committed decoder (8.2.5.12) in the component
// block the Register Locator DVSEC points at (8.1.9). The platform of a hardware run routes an HPA down the
// emulated host bridges and switches to the board, then decodes it here — with what the board committed, not
// with what the host meant to program — and moves the bytes through the board's memory window by DPA.
//
// The reads go through an untraced Target: they are the platform looking at decoder state, not host accesses.

import type { Target } from '../common/target.js';
import type { CommittedDecoder } from '../emulator/hdm/commit-checks.js';
import type { EndpointDecodeState } from '../emulator/memory/route-walk.js';
import { CTRL, HDM, HDM_DECODER_ENABLE, hdmDecoderCount, hdmReadDecoder, type HdmAt } from '../host/core/hdm.js';
import { CXL_VENDOR_ID, DVSEC, pciDvsecs } from '../host/core/pci.js';
import { barComponentAccess, CMCAP, componentCapArrayRead, componentCapOffset, RBI, regLocatorRead } from '../host/core/regs.js';

/** PCIe DVSEC for CXL Devices (CXL 2.0 8.1.3): CXL Control +0x0C (Mem_Enable bit 2), Range n Size/Base. */
const DVSEC_CXL_CONTROL = 0x0c;
const MEM_ENABLE = 1 << 2;
const RANGE = [
  { sizeHi: 0x18, sizeLo: 0x1c, baseHi: 0x20, baseLo: 0x24 },
  { sizeHi: 0x28, sizeLo: 0x2c, baseHi: 0x30, baseLo: 0x34 },
];

export interface BoardDecode extends EndpointDecodeState {
  /** The committed HDM decoders in index order (empty when HDM Decoder Enable is clear or none committed). */
  decoders: readonly CommittedDecoder[];
  /** False while a decoder has Commit set but neither Committed nor Error Not Committed (a commit in flight). */
  stable: boolean;
}

const u64 = (hi: number, lo: number): number => (hi >>> 0) * 2 ** 32 + ((lo & 0xf000_0000) >>> 0);

/** Where the board's HDM Decoder Capability Structure is (BAR and offset), or null (no locator / no HDM cap). */
async function findHdm(t: Target): Promise<HdmAt | null> {
  const loc = await regLocatorRead(t);
  const comp = loc.blocks.find((b) => b.rbi === RBI.component);
  if (!comp) return null;
  const regs = barComponentAccess(t, comp.bar, comp.offset);
  const off = componentCapOffset(await componentCapArrayRead(regs), CMCAP.hdm);
  return off === null ? null : { regs, base: off };
}

/** Reads a board's decode state; the HDM location is found once per reader (the layout does not move). */
export class BoardDecodeReader {
  private hdm: Promise<HdmAt | null> | null = null;
  private dvsec: Promise<number | null> | null = null;

  constructor(private readonly t: Target) {}

  async read(): Promise<BoardDecode> {
    const t = this.t;
    this.dvsec ??= pciDvsecs(t).then((ds) => ds.find((d) => d.vendor === CXL_VENDOR_ID && d.id === DVSEC.cxlDevice)?.offset ?? null);
    this.hdm ??= findHdm(t);
    const dv = await this.dvsec;
    const hdm = await this.hdm;
    const memEnabled = dv === null ? true : ((await t.cfgRead(dv + DVSEC_CXL_CONTROL, 2)) & MEM_ENABLE) !== 0;
    const dvsecRanges: CommittedDecoder[] = [];
    if (dv !== null) {
      let dpaBase = 0;
      for (const [i, r] of RANGE.entries()) {
        const size = u64(await t.cfgRead(dv + r.sizeHi, 4), await t.cfgRead(dv + r.sizeLo, 4));
        const base = u64(await t.cfgRead(dv + r.baseHi, 4), await t.cfgRead(dv + r.baseLo, 4));
        if (size > 0) dvsecRanges.push({ index: i, base, size, ways: 1, granularity: 256, targets: [], dpaBase, dpaSize: size, hostOnly: true, locked: false });
        dpaBase += size;
      }
    }
    let hdmEnabled = false;
    let stable = true;
    const decoders: CommittedDecoder[] = [];
    if (hdm) {
      hdmEnabled = ((await hdm.regs.read32(hdm.base + HDM.globalCtrl)) & HDM_DECODER_ENABLE) !== 0;
      const count = hdmDecoderCount(await hdm.regs.read32(hdm.base + HDM.cap));
      // An endpoint decoder maps DPA from the end of the decoders before it, plus its DPA Skip (CXL 2.0
      // 8.2.5.12.7-9; Linux cxl_dpa_reserve): the same rule the emulated decoders apply at commit.
      let used = 0;
      for (let n = 0; n < count; n++) {
        const d = await hdmReadDecoder(hdm, n);
        if ((d.ctrl & CTRL.commit) !== 0 && !d.committed && !d.errorNotCommitted) stable = false;
        if (!d.committed || d.ways === null || d.size === 0) continue;
        const skip = u64(d.tlHi, d.tlLo);
        const dpaSize = d.size / d.ways;
        decoders.push({ index: n, base: d.base, size: d.size, ways: d.ways, granularity: d.granularity, targets: [], dpaBase: used + skip, dpaSize, hostOnly: d.hostOnly, locked: d.lockOnCommit });
        used += skip + dpaSize;
      }
    }
    return {
      memEnabled,
      hdmEnabled,
      decoders,
      dvsecRanges,
      stable,
      find: (hpa) => decoders.find((d) => hpa >= d.base && hpa < d.base + d.size) ?? null,
    };
  }
}
