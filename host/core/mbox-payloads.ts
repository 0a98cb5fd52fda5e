// One decoder (and, where the host sends one, one encoder) per mailbox payload, like the packed structs of
// Linux cxlmem.h. Decoders accept short buffers (missing bytes read as zero) and report `short` so a caller
// can say "output too small" with the length as evidence instead of throwing.

import { put32, put64, u16, u24, u32, u64, u64n, u8, uuidBytes, uuidText } from './bytes.js';
import { OP } from './mbox-opcodes.js';

/** 256 MiB: the capacity unit of Identify and Partition Info (CXL 2.0 8.2.9.5.1.1, CXL_CAPACITY_MULTIPLIER). */
export const CAPACITY_UNIT = 256 * 1024 * 1024;

export const CEL_UUID = '0da9c0b5-bf41-4b78-8f79-96b1623b3f17';

const text = (b: Uint8Array, at: number, n: number): string =>
  String.fromCharCode(...b.subarray(at, at + n)).replace(/\0+$/, '').replace(/[^\x20-\x7e]/g, '?');

// --- Identify Memory Device (4000h), CXL 2.0 Table 175 / r3.1 Table 8-127 ---
export const IDENTIFY_MEMDEV_LEN = 0x43;
export interface IdentifyMemdev {
  fwRevision: string;
  totalBytes: number;
  volatileOnlyBytes: number;
  persistentOnlyBytes: number;
  partitionAlignBytes: number;
  infoEventLogSize: number;
  warningEventLogSize: number;
  failureEventLogSize: number;
  fatalEventLogSize: number;
  lsaSize: number;
  poisonListMax: number;
  injectPoisonLimit: number;
  poisonCaps: number;
  qosTelemetryCaps: number;
  short: boolean;
}
export function decodeIdentifyMemdev(b: Uint8Array): IdentifyMemdev {
  return {
    fwRevision: text(b, 0, 16),
    totalBytes: u64(b, 0x10) * CAPACITY_UNIT,
    volatileOnlyBytes: u64(b, 0x18) * CAPACITY_UNIT,
    persistentOnlyBytes: u64(b, 0x20) * CAPACITY_UNIT,
    partitionAlignBytes: u64(b, 0x28) * CAPACITY_UNIT,
    infoEventLogSize: u16(b, 0x30),
    warningEventLogSize: u16(b, 0x32),
    failureEventLogSize: u16(b, 0x34),
    fatalEventLogSize: u16(b, 0x36),
    lsaSize: u32(b, 0x38),
    poisonListMax: u24(b, 0x3c),
    injectPoisonLimit: u16(b, 0x3f),
    poisonCaps: u8(b, 0x41),
    qosTelemetryCaps: u8(b, 0x42),
    short: b.length < IDENTIFY_MEMDEV_LEN,
  };
}

// --- Identify (0001h), r3.1 Table 8-36 ---
export interface IdentifyGeneric {
  vendorId: number;
  deviceId: number;
  subsystemVendorId: number;
  subsystemId: number;
  serial: bigint;
  maxMessageSizeLog2: number;
  componentType: number;
  short: boolean;
}
export function decodeIdentifyGeneric(b: Uint8Array): IdentifyGeneric {
  return {
    vendorId: u16(b, 0),
    deviceId: u16(b, 2),
    subsystemVendorId: u16(b, 4),
    subsystemId: u16(b, 6),
    serial: u64n(b, 8),
    maxMessageSizeLog2: u8(b, 0x10),
    componentType: u8(b, 0x11),
    short: b.length < 0x12,
  };
}

// --- Get Partition Info (4100h), CXL 2.0 Table 176 ---
export interface PartitionInfo {
  activeVolatileBytes: number;
  activePersistentBytes: number;
  nextVolatileBytes: number;
  nextPersistentBytes: number;
  short: boolean;
}
export function decodePartitionInfo(b: Uint8Array): PartitionInfo {
  return {
    activeVolatileBytes: u64(b, 0) * CAPACITY_UNIT,
    activePersistentBytes: u64(b, 8) * CAPACITY_UNIT,
    nextVolatileBytes: u64(b, 0x10) * CAPACITY_UNIT,
    nextPersistentBytes: u64(b, 0x18) * CAPACITY_UNIT,
    short: b.length < 0x20,
  };
}

// --- Get Supported Logs (0400h), CXL 2.0 Table 169 ---
export interface SupportedLog {
  uuid: string;
  size: number;
}
export function decodeSupportedLogs(b: Uint8Array): { entries: SupportedLog[]; declared: number } {
  const declared = u16(b, 0);
  const fit = Math.max(0, Math.floor((b.length - 8) / 0x14));
  const entries: SupportedLog[] = [];
  for (let i = 0; i < Math.min(declared, fit); i++) entries.push({ uuid: uuidText(b, 8 + 0x14 * i), size: u32(b, 8 + 0x14 * i + 16) });
  return { entries, declared };
}

// --- Get Log (0401h) input, CXL 2.0 Table 170 ---
export function encodeGetLog(uuid: string, offset: number, length: number): Uint8Array {
  const b = new Uint8Array(0x18);
  b.set(uuidBytes(uuid), 0);
  put32(b, 0x10, offset);
  put32(b, 0x14, length);
  return b;
}

// --- CEL entries, CXL 2.0 Table 172/173 ---
export interface CelEntry {
  opcode: number;
  effect: number;
}
export function decodeCel(b: Uint8Array): CelEntry[] {
  const out: CelEntry[] = [];
  for (let at = 0; at + 4 <= b.length; at += 4) out.push({ opcode: u16(b, at), effect: u16(b, at + 2) });
  return out;
}
/** Command Effect bits (CXL 2.0 Table 173, r3.1 Table 8-75). */
export const CEL_EFFECT = { backgroundOperation: 1 << 6 } as const;

// --- Get Health Info (4200h), CXL 2.0 Table 181 ---
export interface HealthInfo {
  healthStatus: number;
  mediaStatus: number;
  additionalStatus: number;
  lifeUsed: number;
  temperature: number;
  dirtyShutdowns: number;
  correctedVolatileErrors: number;
  correctedPersistentErrors: number;
  short: boolean;
}
export function decodeHealthInfo(b: Uint8Array): HealthInfo {
  const t = u16(b, 4);
  return {
    healthStatus: u8(b, 0),
    mediaStatus: u8(b, 1),
    additionalStatus: u8(b, 2),
    lifeUsed: u8(b, 3),
    temperature: t & 0x8000 ? t - 0x10000 : t,
    dirtyShutdowns: u32(b, 6),
    correctedVolatileErrors: u32(b, 0x0a),
    correctedPersistentErrors: u32(b, 0x0e),
    short: b.length < 0x12,
  };
}

// --- Get FW Info (0200h), CXL 2.0 Table 159 ---
export interface FwInfo {
  slotsSupported: number;
  activeSlot: number;
  stagedSlot: number;
  onlineActivation: boolean;
  revisions: string[];
  short: boolean;
}
export function decodeFwInfo(b: Uint8Array): FwInfo {
  const slots = u8(b, 0);
  return {
    slotsSupported: slots,
    activeSlot: u8(b, 1) & 7,
    stagedSlot: (u8(b, 1) >>> 3) & 7,
    onlineActivation: (u8(b, 2) & 1) === 1,
    revisions: [0, 1, 2, 3].slice(0, Math.min(slots, 4)).map((i) => text(b, 0x10 + 0x10 * i, 16)),
    short: b.length < 0x50,
  };
}

// --- Get Poison List (4300h), CXL 2.0 Tables 187/188 ---
export function encodeGetPoisonList(dpa: number, length64: number): Uint8Array {
  const b = new Uint8Array(0x10);
  put64(b, 0, BigInt(dpa) & ~0x3fn);
  put64(b, 8, length64);
  return b;
}
export interface MediaErrorRecord {
  dpa: number;
  source: number;
  length64: number;
}
export interface PoisonList {
  moreRecords: boolean;
  overflow: boolean;
  scanInProgress: boolean;
  count: number;
  records: MediaErrorRecord[];
}
export function decodePoisonList(b: Uint8Array): PoisonList {
  const flags = u8(b, 0);
  const count = u16(b, 0x0a);
  const fit = Math.max(0, Math.floor((b.length - 0x20) / 0x10));
  const records: MediaErrorRecord[] = [];
  for (let i = 0; i < Math.min(count, fit); i++) {
    const a = u64n(b, 0x20 + 0x10 * i);
    records.push({ dpa: Number(a & ~0x3fn), source: Number(a & 7n), length64: u32(b, 0x28 + 0x10 * i) });
  }
  return { moreRecords: !!(flags & 1), overflow: !!(flags & 2), scanInProgress: !!(flags & 4), count, records };
}

// --- Get / Clear Event Records (0100h / 0101h), CXL 2.0 Tables 153-156 ---
export const EVENT_LOGS = ['informational', 'warning', 'failure', 'fatal'] as const;
export interface EventRecord {
  uuid: string;
  length: number;
  flags: number;
  handle: number;
  relatedHandle: number;
  timestamp: bigint;
}
export interface EventRecords {
  overflow: boolean;
  moreRecords: boolean;
  overflowCount: number;
  count: number;
  records: EventRecord[];
}
export function decodeEventRecords(b: Uint8Array): EventRecords {
  const flags = u8(b, 0);
  const count = u16(b, 0x14);
  const fit = Math.max(0, Math.floor((b.length - 0x20) / 0x80));
  const records: EventRecord[] = [];
  for (let i = 0; i < Math.min(count, fit); i++) {
    const at = 0x20 + 0x80 * i;
    records.push({
      uuid: uuidText(b, at),
      length: u8(b, at + 0x10),
      flags: u24(b, at + 0x11),
      handle: u16(b, at + 0x14),
      relatedHandle: u16(b, at + 0x16),
      timestamp: u64n(b, at + 0x18),
    });
  }
  return { overflow: !!(flags & 1), moreRecords: !!(flags & 2), overflowCount: u16(b, 2), count, records };
}
export function encodeClearEventRecords(log: number, handles: readonly number[], clearAll = false): Uint8Array {
  const b = new Uint8Array(6 + 2 * handles.length);
  b[0] = log;
  b[1] = clearAll ? 1 : 0;
  b[2] = handles.length;
  handles.forEach((h, i) => {
    b[6 + 2 * i] = h & 0xff;
    b[7 + 2 * i] = h >>> 8;
  });
  return b;
}

// --- Event Interrupt Policy (0102h / 0103h), CXL 2.0 Table 157 ---
export interface EventInterruptPolicy {
  info: number;
  warning: number;
  failure: number;
  fatal: number;
}
export const decodeEventInterruptPolicy = (b: Uint8Array): EventInterruptPolicy => ({
  info: u8(b, 0),
  warning: u8(b, 1),
  failure: u8(b, 2),
  fatal: u8(b, 3),
});
export const encodeEventInterruptPolicy = (p: EventInterruptPolicy): Uint8Array => new Uint8Array([p.info, p.warning, p.failure, p.fatal]);

// --- Get LSA (4102h) input, CXL 2.0 Table 178 ---
export function encodeGetLsa(offset: number, length: number): Uint8Array {
  const b = new Uint8Array(8);
  put32(b, 0, offset);
  put32(b, 4, length);
  return b;
}

// --- Set Timestamp (0301h) ---
export function encodeSetTimestamp(ns: bigint): Uint8Array {
  const b = new Uint8Array(8);
  put64(b, 0, ns);
  return b;
}

/** Decoders by opcode, for the mailbox console and trace views. */
export const PAYLOAD_DECODERS: Readonly<Record<number, (b: Uint8Array) => unknown>> = {
  [OP.identify]: decodeIdentifyGeneric,
  [OP.identifyMemdev]: decodeIdentifyMemdev,
  [OP.getPartitionInfo]: decodePartitionInfo,
  [OP.getSupportedLogs]: decodeSupportedLogs,
  [OP.getHealthInfo]: decodeHealthInfo,
  [OP.getFwInfo]: decodeFwInfo,
  [OP.getPoisonList]: decodePoisonList,
  [OP.getEventRecords]: decodeEventRecords,
  [OP.getEventInterruptPolicy]: decodeEventInterruptPolicy,
};
