// The Label Storage Area's format (CXL 2.0 9.13.2; Linux drivers/nvdimm/label.h as ndctl and libnvdimm write
// it): two namespace index blocks (Table 210) then 256-byte label slots holding region labels (Table 211) and
// namespace labels (Table 212), each protected by a Fletcher-64 checksum. One encoder/decoder per structure.

import { uuidBytes, uuidText } from '../core/bytes.js';

export const LABEL_SIZE = 256;
export const INDEX_ALIGN = 256;
export const INDEX_SIG = 'NAMESPACE_INDEX\0';
/** CXL 2.0 Table 210: labels of the CXL format are index version 2.1. */
export const INDEX_MAJOR = 2;
export const INDEX_MINOR = 1;
/** Label type UUIDs (CXL 2.0 Tables 211, 212; label.h CXL_REGION_UUID / CXL_NAMESPACE_UUID). */
export const REGION_LABEL_TYPE = '529d7c61-da07-47c4-a93f-ecdf2c06f444';
export const NAMESPACE_LABEL_TYPE = '68bb2c0a-5a77-4937-9f85-3caf41a0f93c';
const INDEX_HEADER = 72;

/** Fletcher-64 over little-endian u32 words (libnvdimm nd_fletcher64): lo wraps at 32 bits, hi keeps its low 32. */
export function fletcher64(b: Uint8Array): bigint {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let lo = 0;
  let hi = 0;
  for (let i = 0; i + 4 <= b.length; i += 4) {
    lo = (lo + v.getUint32(i, true)) >>> 0;
    hi = (hi + lo) >>> 0;
  }
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** Bytes of one index block for `nslot` slots: header + free bitmap, 256-aligned (__sizeof_namespace_index). */
export const indexBlockSize = (nslot: number): number => Math.ceil((INDEX_HEADER + Math.ceil(nslot / 8)) / INDEX_ALIGN) * INDEX_ALIGN;

/** The layout of an LSA of `lsaBytes`: index size, label offset and slot count (both index blocks fit). */
export function lsaLayout(lsaBytes: number): { indexSize: number; labelOff: number; nslot: number } {
  const first = indexBlockSize(Math.floor(lsaBytes / LABEL_SIZE));
  const nslot = Math.floor((lsaBytes - 2 * first) / LABEL_SIZE);
  const indexSize = indexBlockSize(nslot);
  return { indexSize, labelOff: 2 * indexSize, nslot };
}

export interface IndexBlock {
  offset: number;
  seq: number;
  myoff: number;
  mysize: number;
  otheroff: number;
  labeloff: number;
  nslot: number;
  major: number;
  minor: number;
  labelSize: number;
  /** Slots marked free in the bitmap. */
  free: Set<number>;
  checksumOk: boolean;
}

export function encodeIndexBlock(ib: Omit<IndexBlock, 'checksumOk' | 'major' | 'minor' | 'labelSize' | 'offset'>): Uint8Array {
  const b = new Uint8Array(ib.mysize);
  const v = new DataView(b.buffer);
  for (let i = 0; i < 16; i++) b[i] = INDEX_SIG.charCodeAt(i);
  b[19] = Math.log2(LABEL_SIZE) - 7; // labelsize: 1 = 256 bytes
  v.setUint32(20, ib.seq, true);
  v.setBigUint64(24, BigInt(ib.myoff), true);
  v.setBigUint64(32, BigInt(ib.mysize), true);
  v.setBigUint64(40, BigInt(ib.otheroff), true);
  v.setBigUint64(48, BigInt(ib.labeloff), true);
  v.setUint32(56, ib.nslot, true);
  v.setUint16(60, INDEX_MAJOR, true);
  v.setUint16(62, INDEX_MINOR, true);
  for (const s of ib.free) b[INDEX_HEADER + (s >> 3)]! |= 1 << (s & 7);
  v.setBigUint64(64, fletcher64(b), true);
  return b;
}

export function decodeIndexBlock(b: Uint8Array, offset: number): IndexBlock | null {
  if (b.length < INDEX_HEADER) return null;
  const sig = String.fromCharCode(...b.subarray(0, 16));
  if (sig !== INDEX_SIG) return null;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const mysize = Number(v.getBigUint64(32, true));
  const nslot = v.getUint32(56, true);
  const copy = b.slice(0, Math.min(mysize, b.length));
  new DataView(copy.buffer).setBigUint64(64, 0n, true);
  const free = new Set<number>();
  for (let s = 0; s < nslot && INDEX_HEADER + (s >> 3) < b.length; s++) if (b[INDEX_HEADER + (s >> 3)]! & (1 << (s & 7))) free.add(s);
  return {
    offset,
    seq: v.getUint32(20, true),
    myoff: Number(v.getBigUint64(24, true)),
    mysize,
    otheroff: Number(v.getBigUint64(40, true)),
    labeloff: Number(v.getBigUint64(48, true)),
    nslot,
    major: v.getUint16(60, true),
    minor: v.getUint16(62, true),
    labelSize: 128 << b[19]!,
    free,
    checksumOk: fletcher64(copy) === v.getBigUint64(64, true),
  };
}

/** Sequence numbers cycle 1 -> 2 -> 3 -> 1 (nd_inc_seq); the current index is the one the other precedes. */
export const nextSeq = (s: number): number => (s % 3) + 1;
export function currentIndex(a: IndexBlock | null, b: IndexBlock | null): IndexBlock | null {
  const ok = [a, b].filter((x): x is IndexBlock => !!x && x.checksumOk && x.seq >= 1 && x.seq <= 3);
  if (ok.length < 2) return ok[0] ?? null;
  return nextSeq(ok[0]!.seq) === ok[1]!.seq ? ok[1]! : ok[0]!;
}

export interface RegionLabel {
  kind: 'region';
  uuid: string;
  flags: number;
  nlabel: number;
  position: number;
  dpa: number;
  rawsize: number;
  hpa: number;
  slot: number;
  /** Interleave granularity in bytes ((1 << ig) x 256 on disk). */
  granularity: number;
  /** Alignment in bytes (SZ_256M blocks on disk). */
  align: number;
  checksumOk: boolean;
}

export interface NamespaceLabel {
  kind: 'namespace';
  uuid: string;
  name: string;
  flags: number;
  nrange: number;
  position: number;
  dpa: number;
  rawsize: number;
  slot: number;
  align: number;
  regionUuid: string;
  abstractionUuid: string;
  lbasize: number;
  checksumOk: boolean;
}

const SZ_256M = 256 * 2 ** 20;
const put64 = (v: DataView, at: number, n: number): void => v.setBigUint64(at, BigInt(n), true);
const get64 = (v: DataView, at: number): number => Number(v.getBigUint64(at, true));
const sealLabel = (b: Uint8Array): Uint8Array => {
  new DataView(b.buffer).setBigUint64(LABEL_SIZE - 8, fletcher64(b), true);
  return b;
};
const labelChecksumOk = (b: Uint8Array): boolean => {
  const copy = b.slice(0, LABEL_SIZE);
  const v = new DataView(copy.buffer);
  const want = v.getBigUint64(LABEL_SIZE - 8, true);
  v.setBigUint64(LABEL_SIZE - 8, 0n, true);
  return fletcher64(copy) === want;
};

/** CXL 2.0 Table 211. */
export function encodeRegionLabel(l: Omit<RegionLabel, 'kind' | 'checksumOk'>): Uint8Array {
  const b = new Uint8Array(LABEL_SIZE);
  const v = new DataView(b.buffer);
  b.set(uuidBytes(REGION_LABEL_TYPE), 0);
  b.set(uuidBytes(l.uuid), 16);
  v.setUint32(32, l.flags, true);
  v.setUint16(36, l.nlabel, true);
  v.setUint16(38, l.position, true);
  put64(v, 40, l.dpa);
  put64(v, 48, l.rawsize);
  put64(v, 56, l.hpa);
  v.setUint32(64, l.slot, true);
  v.setUint32(68, Math.log2(l.granularity / 256), true);
  v.setUint32(72, l.align / SZ_256M, true);
  return sealLabel(b);
}

/** CXL 2.0 Table 212 (nvdimm_cxl_label). */
export function encodeNamespaceLabel(l: Omit<NamespaceLabel, 'kind' | 'checksumOk'>): Uint8Array {
  const b = new Uint8Array(LABEL_SIZE);
  const v = new DataView(b.buffer);
  b.set(uuidBytes(NAMESPACE_LABEL_TYPE), 0);
  b.set(uuidBytes(l.uuid), 16);
  for (let i = 0; i < Math.min(63, l.name.length); i++) b[32 + i] = l.name.charCodeAt(i) & 0x7f;
  v.setUint32(96, l.flags, true);
  v.setUint16(100, l.nrange, true);
  v.setUint16(102, l.position, true);
  put64(v, 104, l.dpa);
  put64(v, 112, l.rawsize);
  v.setUint32(120, l.slot, true);
  v.setUint32(124, l.align / SZ_256M, true);
  b.set(uuidBytes(l.regionUuid), 128);
  b.set(uuidBytes(l.abstractionUuid), 144);
  v.setUint16(160, l.lbasize, true);
  return sealLabel(b);
}

/** A slot's label by its type UUID, or null for an empty/unknown slot. */
export function decodeLabel(b: Uint8Array): RegionLabel | NamespaceLabel | null {
  if (b.length < LABEL_SIZE) return null;
  const v = new DataView(b.buffer, b.byteOffset, LABEL_SIZE);
  const type = uuidText(b, 0);
  const checksumOk = labelChecksumOk(b);
  if (type === REGION_LABEL_TYPE)
    return {
      kind: 'region',
      uuid: uuidText(b, 16),
      flags: v.getUint32(32, true),
      nlabel: v.getUint16(36, true),
      position: v.getUint16(38, true),
      dpa: get64(v, 40),
      rawsize: get64(v, 48),
      hpa: get64(v, 56),
      slot: v.getUint32(64, true),
      granularity: 256 * 2 ** v.getUint32(68, true),
      align: v.getUint32(72, true) * SZ_256M,
      checksumOk,
    };
  if (type === NAMESPACE_LABEL_TYPE) {
    const raw = b.subarray(32, 96);
    const end = raw.indexOf(0);
    return {
      kind: 'namespace',
      uuid: uuidText(b, 16),
      name: String.fromCharCode(...raw.subarray(0, end < 0 ? 64 : end)),
      flags: v.getUint32(96, true),
      nrange: v.getUint16(100, true),
      position: v.getUint16(102, true),
      dpa: get64(v, 104),
      rawsize: get64(v, 112),
      slot: v.getUint32(120, true),
      align: v.getUint32(124, true) * SZ_256M,
      regionUuid: uuidText(b, 128),
      abstractionUuid: uuidText(b, 144),
      lbasize: v.getUint16(160, true),
      checksumOk,
    };
  }
  return null;
}

export interface DecodedLsa {
  size: number;
  index: [IndexBlock | null, IndexBlock | null];
  /** The index block in force (highest in the 1-2-3 sequence), or null when the LSA is not initialised. */
  current: IndexBlock | null;
  labels: Array<RegionLabel | NamespaceLabel>;
  /** What is wrong (bad checksums, labels in slots the index marks free). */
  problems: string[];
}

/** Decode a whole LSA image. */
export function decodeLsa(lsa: Uint8Array): DecodedLsa {
  const { indexSize } = lsaLayout(lsa.length);
  const a = decodeIndexBlock(lsa.subarray(0, indexSize), 0);
  const b = decodeIndexBlock(lsa.subarray(indexSize, 2 * indexSize), indexSize);
  const cur = currentIndex(a, b);
  const out: DecodedLsa = { size: lsa.length, index: [a, b], current: cur, labels: [], problems: [] };
  for (const x of [a, b]) if (x && !x.checksumOk) out.problems.push(`index block at 0x${x.offset.toString(16)}: checksum mismatch`);
  if (!cur) {
    out.problems.push('no valid namespace index block: labels not initialised');
    return out;
  }
  for (let s = 0; s < cur.nslot; s++) {
    if (cur.free.has(s)) continue;
    const at = cur.labeloff + s * LABEL_SIZE;
    const l = decodeLabel(lsa.subarray(at, at + LABEL_SIZE));
    if (!l) {
      out.problems.push(`slot ${s}: in use but holds no label of a known type`);
      continue;
    }
    if (!l.checksumOk) out.problems.push(`slot ${s}: ${l.kind} label checksum mismatch`);
    if (l.slot !== s) out.problems.push(`slot ${s}: label says slot ${l.slot}`);
    out.labels.push(l);
  }
  return out;
}
