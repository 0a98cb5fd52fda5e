// ACPI CEDT (CXL Early Discovery Table, CXL 2.0 9.14.1): a standard ACPI header, one CHBS per host bridge
// (9.14.1.2) and one CFMWS per fixed memory window (9.14.1.3). decodeCedt is the reader host/ and tests use;
// it never throws and reports what it could not make sense of.

import { granularityToIg, igToGranularity, iwToWays, waysToIw } from '../interleave/encoding.js';
import { chbcrAddress } from './memory-map.js';
import type { Topology } from './types.js';
import { CHBCR_SIZE } from './validate.js';

export const ACPI_HEADER_SIZE = 36;
export const CEDT_REVISION = 1;
export const CEDT_TYPE_CHBS = 0;
export const CEDT_TYPE_CFMWS = 1;
export const CHBS_LENGTH = 0x20;
export const CFMWS_FIXED_LENGTH = 0x24;
export const CEDT_TYPE_CXIMS = 2;
/** CXIMS: type, reserved, length (2), reserved (2), HBIG (1), NIB (1), then NIB 8-byte XORMAPs (CXL 3.0 9.17.1.4). */
export const CXIMS_FIXED_LENGTH = 8;
export const CFMWS_ARITHMETIC = { modulo: 0, xor: 1 } as const;

/** One CXIMS per HBIG used by an XOR window: its XORMAPs (windows sharing an HBIG share them; validate.ts). */
export const cximsOf = (t: Topology): { hbig: number; maps: number[] }[] => {
  const out = new Map<number, number[]>();
  for (const w of t.windows) {
    if (w.arithmetic !== 'xor') continue;
    const hbig = granularityToIg(w.granularity) ?? 0;
    const have = out.get(hbig);
    if (!have || have.length < w.xorMaps.length) out.set(hbig, w.xorMaps);
  }
  return [...out].map(([hbig, maps]) => ({ hbig, maps }));
};
/** CHBS CXL Version: 1 = CXL 2.0 host bridge, Base is the CHBCR (9.14.1.2). */
export const CHBS_VERSION_CXL20 = 1;

const OEM_ID = 'CXLBEN';
const OEM_TABLE_ID = 'CXLBENCH';
const CREATOR_ID = 'CXBN';

const putAscii = (b: Uint8Array, at: number, s: string, len: number): void => {
  for (let i = 0; i < len; i++) b[at + i] = i < s.length ? s.charCodeAt(i) : 0x20;
};
const getAscii = (b: Uint8Array, at: number, len: number): string => String.fromCharCode(...b.subarray(at, at + len));
const put64 = (v: DataView, at: number, n: number): void => v.setBigUint64(at, BigInt(n), true);

/** ACPI 6.4 5.2.6: all bytes of the table sum to zero mod 256. */
export const acpiChecksumOk = (b: Uint8Array): boolean => b.reduce((s, x) => (s + x) & 0xff, 0) === 0;

export const buildCedt = (t: Topology): Uint8Array => {
  const cxims = cximsOf(t);
  const length =
    ACPI_HEADER_SIZE +
    t.hostBridges.length * CHBS_LENGTH +
    t.windows.reduce((s, w) => s + CFMWS_FIXED_LENGTH + 4 * w.targets.length, 0) +
    cxims.reduce((s, x) => s + CXIMS_FIXED_LENGTH + 8 * x.maps.length, 0);
  const b = new Uint8Array(length);
  const v = new DataView(b.buffer);
  putAscii(b, 0, 'CEDT', 4);
  v.setUint32(4, length, true);
  b[8] = CEDT_REVISION;
  putAscii(b, 10, OEM_ID, 6);
  putAscii(b, 16, OEM_TABLE_ID, 8);
  v.setUint32(24, 1, true); // OEM revision
  putAscii(b, 28, CREATOR_ID, 4);
  v.setUint32(32, 1, true); // creator revision
  let at = ACPI_HEADER_SIZE;
  t.hostBridges.forEach((h, i) => {
    b[at] = CEDT_TYPE_CHBS;
    v.setUint16(at + 2, CHBS_LENGTH, true);
    v.setUint32(at + 4, h.uid, true);
    v.setUint32(at + 8, CHBS_VERSION_CXL20, true);
    put64(v, at + 0x10, chbcrAddress(t, i));
    put64(v, at + 0x18, CHBCR_SIZE);
    at += CHBS_LENGTH;
  });
  for (const w of t.windows) {
    const len = CFMWS_FIXED_LENGTH + 4 * w.targets.length;
    b[at] = CEDT_TYPE_CFMWS;
    v.setUint16(at + 2, len, true);
    put64(v, at + 0x08, w.base);
    put64(v, at + 0x10, w.size);
    b[at + 0x18] = waysToIw(w.targets.length) ?? 0xff;
    b[at + 0x19] = CFMWS_ARITHMETIC[w.arithmetic];
    v.setUint32(at + 0x1c, granularityToIg(w.granularity) ?? 0xffff_ffff, true);
    v.setUint16(at + 0x20, w.restrictions, true);
    v.setUint16(at + 0x22, w.qtg, true);
    w.targets.forEach((uid, j) => v.setUint32(at + 0x24 + 4 * j, uid, true));
    at += len;
  }
  for (const x of cxims) {
    const len = CXIMS_FIXED_LENGTH + 8 * x.maps.length;
    b[at] = CEDT_TYPE_CXIMS;
    v.setUint16(at + 2, len, true);
    b[at + 6] = x.hbig;
    b[at + 7] = x.maps.length;
    x.maps.forEach((m, j) => put64(v, at + 8 + 8 * j, m));
    at += len;
  }
  b[9] = (0x100 - b.reduce((s, x) => (s + x) & 0xff, 0)) & 0xff;
  return b;
};

export interface CedtChbs {
  uid: number;
  cxlVersion: number;
  base: number;
  length: number;
}
export interface CedtCfmws {
  base: number;
  size: number;
  eniw: number;
  /** Decoded ways, null for a reserved ENIW. */
  ways: number | null;
  arithmetic: number;
  hbig: number;
  /** Decoded granularity in bytes, null for a reserved HBIG. */
  granularity: number | null;
  restrictions: number;
  qtg: number;
  targets: number[];
}
export interface CedtCxims {
  hbig: number;
  maps: number[];
}
export interface DecodedCedt {
  signature: string;
  length: number;
  revision: number;
  checksumOk: boolean;
  oemId: string;
  chbs: CedtChbs[];
  cfmws: CedtCfmws[];
  cxims: CedtCxims[];
  /** Record types this decoder does not interpret (RDPAS, CSDS), by type and offset. */
  other: { type: number; offset: number; length: number }[];
  /** What is wrong with the bytes, if anything (short table, bad record length, ...). */
  problems: string[];
}

const get64 = (v: DataView, at: number): number => Number(v.getBigUint64(at, true));

export const decodeCedt = (bytes: Uint8Array): DecodedCedt => {
  const out: DecodedCedt = { signature: '', length: 0, revision: 0, checksumOk: false, oemId: '', chbs: [], cfmws: [], cxims: [], other: [], problems: [] };
  if (bytes.length < ACPI_HEADER_SIZE) {
    out.problems.push(`table is ${bytes.length} bytes, shorter than the ${ACPI_HEADER_SIZE}-byte ACPI header`);
    return out;
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  out.signature = getAscii(bytes, 0, 4);
  out.length = v.getUint32(4, true);
  out.revision = bytes[8];
  out.oemId = getAscii(bytes, 10, 6);
  if (out.signature !== 'CEDT') out.problems.push(`signature is "${out.signature}", not "CEDT"`);
  if (out.length > bytes.length) {
    out.problems.push(`header length ${out.length} exceeds the ${bytes.length} bytes given`);
    out.length = bytes.length;
  }
  out.checksumOk = acpiChecksumOk(bytes.subarray(0, out.length));
  if (!out.checksumOk) out.problems.push('checksum does not sum to zero');
  let at = ACPI_HEADER_SIZE;
  while (at + 4 <= out.length) {
    const type = bytes[at];
    const len = v.getUint16(at + 2, true);
    if (len < 4 || at + len > out.length) {
      out.problems.push(`record at +0x${at.toString(16)} has length ${len}, which does not fit the table`);
      break;
    }
    if (type === CEDT_TYPE_CHBS) {
      if (len !== CHBS_LENGTH) out.problems.push(`CHBS at +0x${at.toString(16)} has length ${len}, expected ${CHBS_LENGTH}`);
      else out.chbs.push({ uid: v.getUint32(at + 4, true), cxlVersion: v.getUint32(at + 8, true), base: get64(v, at + 0x10), length: get64(v, at + 0x18) });
    } else if (type === CEDT_TYPE_CFMWS) {
      const eniw = bytes[at + 0x18];
      const ways = iwToWays(eniw);
      const n = ways ?? 0;
      const expected = CFMWS_FIXED_LENGTH + 4 * n;
      // Linux cxl_acpi_cfmws_verify refuses a record shorter than 0x24 + 4 x ways, but only notes a longer one
      // (dev_dbg "greater than expected") and registers the window: keep it, and say so.
      if (len < expected) {
        out.problems.push(`CFMWS at +0x${at.toString(16)} has length ${len}, expected ${expected} for ENIW ${eniw}`);
      } else {
        if (len > expected) out.problems.push(`CFMWS at +0x${at.toString(16)} has length ${len}, longer than the ${expected} ENIW ${eniw} needs (the extra bytes are ignored)`);
        const hbig = v.getUint32(at + 0x1c, true);
        out.cfmws.push({
          base: get64(v, at + 0x08),
          size: get64(v, at + 0x10),
          eniw,
          ways,
          arithmetic: bytes[at + 0x19],
          hbig,
          granularity: igToGranularity(hbig),
          restrictions: v.getUint16(at + 0x20, true),
          qtg: v.getUint16(at + 0x22, true),
          targets: Array.from({ length: n }, (_, j) => v.getUint32(at + 0x24 + 4 * j, true)),
        });
      }
    } else if (type === CEDT_TYPE_CXIMS && len >= CXIMS_FIXED_LENGTH) {
      const nib = bytes[at + 7];
      if (len < CXIMS_FIXED_LENGTH + 8 * nib) out.problems.push(`CXIMS at +0x${at.toString(16)} has length ${len}, too short for ${nib} XORMAPs`);
      else out.cxims.push({ hbig: bytes[at + 6], maps: Array.from({ length: nib }, (_, j) => get64(v, at + 8 + 8 * j)) });
    } else {
      out.other.push({ type, offset: at, length: len });
    }
    at += len;
  }
  if (at !== out.length) out.problems.push(`${out.length - at} trailing bytes after the last record`);
  return out;
};
