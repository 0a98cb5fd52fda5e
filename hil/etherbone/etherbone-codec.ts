// Etherbone packets as LiteX speaks them (litex/tools/remote/etherbone.py, liteeth/frontend/etherbone.py):
//   packet header, 8 bytes: magic 0x4E6F (big-endian); byte 2 = version (1) << 4 | no-reads << 2 |
//   probe-reply << 1 | probe; byte 3 = address size << 4 | port size (0x44: 32-bit); 4 bytes padding.
//   record, 4-byte header: flags (bca bit0, rca bit1, rff bit2, cyc bit4, wca bit5, wff bit6), byte enable
//   (0x0F), write count, read count; then if wcount > 0 a base write address and wcount data words, then if
//   rcount > 0 a base return address and rcount read addresses. All big-endian; addresses are byte addresses.
// A read is answered by a record whose writes carry the values (to the base return address).

export const EB_MAGIC = 0x4e6f;
export const EB_VERSION = 1;
export const EB_PACKET_HEADER_BYTES = 8;
export const EB_RECORD_HEADER_BYTES = 4;
export const EB_SIZES_32 = 0x44;
export const EB_MAX_COUNT = 255;

export const EB_FLAG_PROBE = 0x01;
export const EB_FLAG_PROBE_REPLY = 0x02;
export const EB_FLAG_NO_READS = 0x04;

export interface EbRecord {
  /** Record flags byte (bca/rca/rff/cyc/wca/wff); 0 for plain bus accesses. */
  flags: number;
  byteEnable: number;
  /** Writes: base address and data words. */
  writeBase: number;
  writes: number[];
  /** Reads: base return address and addresses to read. */
  returnBase: number;
  reads: number[];
}

export interface EbPacket {
  probe: boolean;
  probeReply: boolean;
  noReads: boolean;
  /** Address size << 4 | port size. */
  sizes: number;
  records: EbRecord[];
}

export class EtherboneCodecError extends Error {
  override name = 'EtherboneCodecError';
}

export const ebRecord = (r: Partial<EbRecord>): EbRecord => ({
  flags: 0,
  byteEnable: 0x0f,
  writeBase: 0,
  writes: [],
  returnBase: 0,
  reads: [],
  ...r,
});

export const ebPacket = (records: EbRecord[], flags: Partial<Omit<EbPacket, 'records'>> = {}): EbPacket => ({
  probe: false,
  probeReply: false,
  noReads: false,
  sizes: EB_SIZES_32,
  records,
  ...flags,
});

const recordBytes = (r: EbRecord): number =>
  EB_RECORD_HEADER_BYTES + (r.writes.length ? 4 + 4 * r.writes.length : 0) + (r.reads.length ? 4 + 4 * r.reads.length : 0);

export function encodeEbPacket(p: EbPacket): Uint8Array {
  let size = EB_PACKET_HEADER_BYTES;
  for (const r of p.records) {
    if (r.writes.length > EB_MAX_COUNT || r.reads.length > EB_MAX_COUNT) throw new EtherboneCodecError('a record carries at most 255 writes and 255 reads');
    size += recordBytes(r);
  }
  const buf = new Uint8Array(size);
  const dv = new DataView(buf.buffer);
  dv.setUint16(0, EB_MAGIC, false);
  dv.setUint8(2, (EB_VERSION << 4) | (p.noReads ? EB_FLAG_NO_READS : 0) | (p.probeReply ? EB_FLAG_PROBE_REPLY : 0) | (p.probe ? EB_FLAG_PROBE : 0));
  dv.setUint8(3, p.sizes);
  let o = EB_PACKET_HEADER_BYTES;
  for (const r of p.records) {
    dv.setUint8(o, r.flags);
    dv.setUint8(o + 1, r.byteEnable);
    dv.setUint8(o + 2, r.writes.length);
    dv.setUint8(o + 3, r.reads.length);
    o += 4;
    if (r.writes.length) {
      dv.setUint32(o, r.writeBase >>> 0, false);
      o += 4;
      for (const w of r.writes) (dv.setUint32(o, w >>> 0, false), (o += 4));
    }
    if (r.reads.length) {
      dv.setUint32(o, r.returnBase >>> 0, false);
      o += 4;
      for (const a of r.reads) (dv.setUint32(o, a >>> 0, false), (o += 4));
    }
  }
  return buf;
}

/** Decode a whole packet (a UDP datagram, or one TCP frame). Throws EtherboneCodecError with the reason. */
export function decodeEbPacket(bytes: Uint8Array): EbPacket {
  if (bytes.length < EB_PACKET_HEADER_BYTES) throw new EtherboneCodecError(`packet of ${bytes.length} bytes is shorter than the 8-byte header`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = dv.getUint16(0, false);
  if (magic !== EB_MAGIC) throw new EtherboneCodecError(`bad magic 0x${magic.toString(16)} (expected 0x4e6f)`);
  const vf = dv.getUint8(2);
  if (vf >> 4 !== EB_VERSION) throw new EtherboneCodecError(`unsupported version ${vf >> 4}`);
  const p = ebPacket([], {
    probe: (vf & EB_FLAG_PROBE) !== 0,
    probeReply: (vf & EB_FLAG_PROBE_REPLY) !== 0,
    noReads: (vf & EB_FLAG_NO_READS) !== 0,
    sizes: dv.getUint8(3),
  });
  let o = EB_PACKET_HEADER_BYTES;
  while (o < bytes.length) {
    if (o + EB_RECORD_HEADER_BYTES > bytes.length) throw new EtherboneCodecError(`truncated record header at byte ${o}`);
    const r = ebRecord({ flags: dv.getUint8(o), byteEnable: dv.getUint8(o + 1) });
    const wc = dv.getUint8(o + 2);
    const rc = dv.getUint8(o + 3);
    o += 4;
    const need = (wc ? 4 + 4 * wc : 0) + (rc ? 4 + 4 * rc : 0);
    if (o + need > bytes.length) throw new EtherboneCodecError(`record at byte ${o - 4} needs ${need} bytes, ${bytes.length - o} left`);
    if (wc) {
      r.writeBase = dv.getUint32(o, false);
      o += 4;
      for (let i = 0; i < wc; i++, o += 4) r.writes.push(dv.getUint32(o, false));
    }
    if (rc) {
      r.returnBase = dv.getUint32(o, false);
      o += 4;
      for (let i = 0; i < rc; i++, o += 4) r.reads.push(dv.getUint32(o, false));
    }
    p.records.push(r);
  }
  return p;
}

/** A probe packet: header only, probe flag set. */
export const encodeEbProbe = (): Uint8Array => encodeEbPacket(ebPacket([], { probe: true }));

/**
 * TCP framing as litex_server reads it (EtherboneIPC.receive_packet): one record per packet; read the 12 bytes
 * of packet + record header, then 4 x (wcount + rcount + 1) bytes. Returns the frame length once `have` bytes
 * hold a whole frame, or 0 when more bytes are needed.
 */
export function ebTcpFrameLength(buf: Uint8Array, have: number): number {
  const head = EB_PACKET_HEADER_BYTES + EB_RECORD_HEADER_BYTES;
  if (have < head) return 0;
  const len = head + 4 * (buf[head - 2] + buf[head - 1] + 1);
  return have >= len ? len : 0;
}
