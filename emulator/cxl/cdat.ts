// The Coherent Device Attribute Table a Type 3 device serves over DOE (CDAT 1.0x; CXL 2.0 8.1.11). Built as
// bytes: a 16-byte header, then per memory range DSMAS, four DSLBIS (read/write latency and bandwidth) and a
// DSEMTS, as QEMU generates (reference sheet 7.5). Entry handle 0 is the header; handle n is structure n.

export interface CdatRange {
  /** DSMAD handle. */
  handle: number;
  dpaBase: number;
  dpaLength: number;
  nonVolatile: boolean;
}

export interface CdatPerf {
  readLatencyPs: number;
  writeLatencyPs: number;
  readBandwidthMBs: number;
  writeBandwidthMBs: number;
}

/** 150 ns / 250 ns, 16 GB/s both ways: QEMU's figures (reference sheet qemu-cxl 2). */
export const DEFAULT_PERF: CdatPerf = { readLatencyPs: 150_000, writeLatencyPs: 250_000, readBandwidthMBs: 16_000, writeBandwidthMBs: 16_000 };

export const CDAT_TYPE = { dsmas: 0, dslbis: 1, dsmscis: 2, dsis: 3, dsemts: 4, sslbis: 5 } as const;
/** DSLBIS data types (ACPI HMAT): 1 read latency, 2 write latency, 4 read bandwidth, 5 write bandwidth. */
const DSLBIS_TYPES = [1, 2, 4, 5] as const;

const put64 = (v: DataView, at: number, n: number): void => {
  v.setUint32(at, n % 2 ** 32, true);
  v.setUint32(at + 4, Math.floor(n / 2 ** 32), true);
};

function dsmas(r: CdatRange): Uint8Array {
  const b = new Uint8Array(0x18);
  const v = new DataView(b.buffer);
  v.setUint8(0, CDAT_TYPE.dsmas);
  v.setUint16(2, 0x18, true);
  v.setUint8(4, r.handle);
  v.setUint8(5, r.nonVolatile ? 1 << 2 : 0); // flags bit 2: non-volatile
  put64(v, 8, r.dpaBase);
  put64(v, 0x10, r.dpaLength);
  return b;
}

function dslbis(handle: number, dataType: number, value: number): Uint8Array {
  const b = new Uint8Array(0x18);
  const v = new DataView(b.buffer);
  v.setUint8(0, CDAT_TYPE.dslbis);
  v.setUint16(2, 0x18, true);
  v.setUint8(4, handle);
  v.setUint8(5, 0); // HMAT flags: memory
  v.setUint8(6, dataType);
  // Entry base unit 1000: latency entries count ns (ps x 1000), bandwidth entries count GB/s (MB/s x 1000).
  put64(v, 8, 1000);
  v.setUint16(0x10, Math.min(0xffff, Math.round(value / 1000)), true);
  return b;
}

function dsemts(r: CdatRange): Uint8Array {
  const b = new Uint8Array(0x18);
  const v = new DataView(b.buffer);
  v.setUint8(0, CDAT_TYPE.dsemts);
  v.setUint16(2, 0x18, true);
  v.setUint8(4, r.handle);
  v.setUint8(5, r.nonVolatile ? 2 : 1); // 1 = EfiConventionalMemory + EFI_MEMORY_SP, 2 = EfiReservedMemoryType
  put64(v, 8, 0); // DPA offset within the DSMAS range
  put64(v, 0x10, r.dpaLength);
  return b;
}

/** Sum of all bytes mod 256 (a correct table sums to 0). */
export const byteSum = (bytes: Uint8Array): number => bytes.reduce((s, x) => (s + x) & 0xff, 0);

/** Build the CDAT entries: [header, ...structures]. The header checksum covers the whole table. */
export function buildCdat(ranges: readonly CdatRange[], perf: CdatPerf = DEFAULT_PERF, revision = 1): Uint8Array[] {
  const structs: Uint8Array[] = [];
  for (const r of ranges) {
    structs.push(dsmas(r));
    structs.push(dslbis(r.handle, DSLBIS_TYPES[0], perf.readLatencyPs));
    structs.push(dslbis(r.handle, DSLBIS_TYPES[1], perf.writeLatencyPs));
    structs.push(dslbis(r.handle, DSLBIS_TYPES[2], perf.readBandwidthMBs));
    structs.push(dslbis(r.handle, DSLBIS_TYPES[3], perf.writeBandwidthMBs));
    structs.push(dsemts(r));
  }
  const header = new Uint8Array(16);
  const hv = new DataView(header.buffer);
  hv.setUint32(0, 16 + structs.reduce((s, x) => s + x.length, 0), true);
  hv.setUint8(4, revision);
  hv.setUint32(12, 0, true); // sequence: the table never changes at run time
  const sum = structs.reduce((s, x) => (s + byteSum(x)) & 0xff, byteSum(header));
  hv.setUint8(5, (0x100 - sum) & 0xff);
  return [header, ...structs];
}
