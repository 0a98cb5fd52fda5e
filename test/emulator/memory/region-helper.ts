// Test helper: program decoders for a region the way `cxl create-region` does (endpoints first, then switches,
// then the host bridge), through each node's component registers (software register path).

import { CTRL, DEC, decoderOffset, type HdmDecoders } from '../../../emulator/hdm/index.js';
import type { EmulatedPlatform } from '../../../emulator/topology/index.js';
import { granularityToIg, waysToIw } from '../../../emulator/interleave/index.js';

export interface DecoderSetting {
  base: number;
  size: number;
  ways: number;
  granularity: number;
  targets?: number[];
  skip?: number;
  lock?: boolean;
}

/** Program decoder `n` and commit it; returns the Control register as read back afterwards. */
export function commitDecoder(h: HdmDecoders, n: number, s: DecoderSetting): number {
  const b = h.block;
  const o = decoderOffset(n);
  const w = (off: number, v: number) => b.write(o + off, 4, v >>> 0);
  w(DEC.baseLo, s.base % 2 ** 32);
  w(DEC.baseHi, Math.floor(s.base / 2 ** 32));
  w(DEC.sizeLo, s.size % 2 ** 32);
  w(DEC.sizeHi, Math.floor(s.size / 2 ** 32));
  if (h.endpoint) {
    const skip = s.skip ?? 0;
    w(DEC.listLo, skip % 2 ** 32);
    w(DEC.listHi, Math.floor(skip / 2 ** 32));
    b.write(4, 4, 2); // HDM Decoder Enable (CXL 2.0 8.2.5.12.2)
  } else {
    const t = [...(s.targets ?? []), 0, 0, 0, 0, 0, 0, 0, 0];
    w(DEC.listLo, t[0] | (t[1] << 8) | (t[2] << 16) | (t[3] << 24));
    w(DEC.listHi, t[4] | (t[5] << 8) | (t[6] << 16) | (t[7] << 24));
  }
  const ctrl = granularityToIg(s.granularity)! | (waysToIw(s.ways)! << 4) | CTRL.targetTypeHostOnly | (s.lock ? CTRL.lockOnCommit : 0);
  w(DEC.control, ctrl);
  w(DEC.control, ctrl | CTRL.commit);
  return b.read(o + DEC.control, 4);
}

/** A deterministic byte pattern that differs for every HPA (so misrouted bytes show). */
export const patternByte = (hpa: number): number => (hpa * 2654435761 + (hpa >>> 16) * 40503 + Math.floor(hpa / 2 ** 32) * 97) & 0xff;

export const fillPattern = (hpa: number, n: number): Uint8Array => {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = patternByte(hpa + i);
  return b;
};

/**
 * Set Mem_Enable (PCIe DVSEC for CXL Devices, CXL Control bit 2, CXL 2.0 8.1.3.2) on every Type 3 endpoint, as
 * Linux's cxl_hdm_decode_init does: without it a device does not decode CXL.mem.
 */
export function memEnableAll(p: EmulatedPlatform): EmulatedPlatform {
  for (const path of p.targets().keys()) {
    const dvsec = p.node(path)?.type3?.block('dvsec-cxl-device', 'cfg');
    if (dvsec) dvsec.write(0x0c, 2, dvsec.read(0x0c, 2) | 4);
  }
  return p;
}
