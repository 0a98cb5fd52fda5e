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
}

export const CFMWS_RESTRICT = { type2: 1 << 0, type3: 1 << 1, volatile: 1 << 2, pmem: 1 << 3, fixed: 1 << 4 } as const;

export interface Cedt {
  ok: boolean;
  error?: string;
  chbs: Chbs[];
  cfmws: Cfmws[];
}

export function cedtParse(b: Uint8Array): Cedt {
  const out: Cedt = { ok: true, chbs: [], cfmws: [] };
  if (b.length < 36 || String.fromCharCode(...b.subarray(0, 4)) !== 'CEDT') return { ok: false, error: 'not a CEDT table', chbs: [], cfmws: [] };
  const total = Math.min(u32(b, 4), b.length);
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
      out.cfmws.push({
        index: out.cfmws.length,
        base: u64(b, at + 8),
        size: u64(b, at + 0x10),
        eniw,
        ways,
        arithmetic: u8(b, at + 0x19),
        hbig,
        granularity: eigToGranularity(hbig),
        restrictions: u16(b, at + 0x20),
        qtgId: u16(b, at + 0x22),
        targets,
      });
    }
    at += len;
  }
  return out;
}
