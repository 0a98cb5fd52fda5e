// ACPI CEDT parsing (CXL 2.0 9.14.1; ACPI 6.4 5.2.28): CHBS and CFMWS records, as cxl_acpi reads them. The
// table starts with the 36-byte ACPI header; each record has type (1), reserved (1), length (2).

import { u16, u32, u64, u8 } from './bytes.js';
import { EIW_WAYS, eigToGranularity } from './hdm.js';

export interface Chbs {
  uid: number;
  cxlVersion: number;
  base: number;
  length: number;
}

export interface Cfmws {
  index: number;
  base: number;
  size: number;
  eniw: number;
  ways: number | null;
  arithmetic: number;
  hbig: number;
  granularity: number;
  restrictions: number;
  qtgId: number;
  targets: number[];
  /** XORMAPs from the CXIMS with this window's HBIG (XOR arithmetic only; cxl_acpi cxl_parse_cxims). */
  xorMaps?: number[];
  /**
   * Why cxl_acpi would not register this window (cxl_acpi_cfmws_verify, then the HBIG decode in
   * cxl_parse_cfmws: "Failed to add decode range"), or undefined when it would.
   */
  error?: string;
}

export const CFMWS_RESTRICT = { type2: 1 << 0, type3: 1 << 1, volatile: 1 << 2, pmem: 1 << 3, fixed: 1 << 4 } as const;

export interface Cedt {
  ok: boolean;
  error?: string;
  /** ACPI 6.4 5.2.6: every byte of the table sums to 0 mod 256. */
  checksumOk?: boolean;
  chbs: Chbs[];
  cfmws: Cfmws[];
  /** CXIMS records (CXL 3.0 9.17.1.4): XORMAPs per HBIG. */
  cxims: { hbig: number; maps: number[] }[];
}

const SZ_256M = 256 * 2 ** 20;

/**
 * cxl_acpi's checks on one CFMWS (drivers/cxl/acpi.c cxl_acpi_cfmws_verify, v6.8-v6.12, in its order; then
 * eig_to_granularity on HBIG). Linux checks 256 MiB alignment of base and size only; the spec's "size is a
 * multiple of NIW x 256 MB" (CXL 2.0 9.14.1.3) is not enforced there, so it is not an error here either.
 */
function cfmwsVerify(arithmetic: number, base: number, size: number, eniw: number, ways: number | null, hbig: number, len: number): { error?: string } {
  if (arithmetic !== 0 && arithmetic !== 1) return { error: `CFMWS Unknown Interleave Arithmetic: ${arithmetic}` };
  if (base % SZ_256M !== 0) return { error: 'CFMWS Base HPA not 256MB aligned' };
  if (size % SZ_256M !== 0) return { error: 'CFMWS Window Size not 256MB aligned' };
  if (ways === null) return { error: `CFMWS Interleave Ways (${eniw}) invalid` };
  const expected = 0x24 + 4 * ways;
  if (len < expected) return { error: `CFMWS length ${len} less than expected ${expected}` };
  if (hbig > 6) return { error: `CFMWS Interleave Granularity (HBIG ${hbig}) invalid` };
  return {};
}

export function cedtParse(b: Uint8Array): Cedt {
  const out: Cedt = { ok: true, chbs: [], cfmws: [], cxims: [] };
  if (b.length < 36 || String.fromCharCode(...b.subarray(0, 4)) !== 'CEDT') return { ok: false, error: 'not a CEDT table', chbs: [], cfmws: [], cxims: [] };
  const total = Math.min(u32(b, 4), b.length);
  out.checksumOk = b.subarray(0, total).reduce((sum, x) => (sum + x) & 0xff, 0) === 0;
  let at = 36;
  while (at + 4 <= total) {
    const type = u8(b, at);
    const len = u16(b, at + 2);
    if (len < 4 || at + len > total) return { ...out, ok: false, error: `bad record length ${len} at ${at}` };
    if (type === 0 && len >= 0x20) {
      out.chbs.push({ uid: u32(b, at + 4), cxlVersion: u32(b, at + 8), base: u64(b, at + 0x10), length: u64(b, at + 0x18) });
    } else if (type === 1 && len >= 0x24) {
      const eniw = u8(b, at + 0x18);
      const ways = EIW_WAYS[eniw] ?? null;
      const targets: number[] = [];
      for (let i = 0; i < (ways ?? 0) && 0x24 + 4 * i + 4 <= len; i++) targets.push(u32(b, at + 0x24 + 4 * i));
      const hbig = u32(b, at + 0x1c);
      const arithmetic = u8(b, at + 0x19);
      const base = u64(b, at + 8);
      const size = u64(b, at + 0x10);
      out.cfmws.push({
        index: out.cfmws.length,
        base,
        size,
        eniw,
        ways,
        arithmetic,
        hbig,
        granularity: hbig <= 6 ? eigToGranularity(hbig) : 0,
        restrictions: u16(b, at + 0x20),
        qtgId: u16(b, at + 0x22),
        targets,
        ...cfmwsVerify(arithmetic, base, size, eniw, ways, hbig, len),
      });
    } else if (type === 2 && len >= 8) {
      const nib = u8(b, at + 7);
      const maps: number[] = [];
      for (let i = 0; i < nib && 8 + 8 * i + 8 <= len; i++) maps.push(u64(b, at + 8 + 8 * i));
      out.cxims.push({ hbig: u8(b, at + 6), maps });
    }
    at += len;
  }
  // cxl_acpi cxl_parse_cfmws: an XOR window takes the XORMAPs of the CXIMS with its HBIG, needing one per
  // address bit of host-bridge selection; without one the window is not registered.
  for (const w of out.cfmws) {
    if (w.arithmetic !== 1 || w.error !== undefined || w.ways === null) continue;
    const need = Math.round(Math.log2(w.ways % 3 === 0 ? w.ways / 3 : w.ways));
    const x = out.cxims.find((c) => c.hbig === w.hbig);
    if (need === 0) w.xorMaps = x?.maps ?? [];
    else if (!x) w.error = `No CXIMS for HBIG ${w.hbig}`;
    else if (x.maps.length < need) w.error = `CXIMS for HBIG ${w.hbig} has ${x.maps.length} XORMAPs, ${w.ways}-way XOR needs ${need}`;
    else w.xorMaps = x.maps;
  }
  return out;
}
