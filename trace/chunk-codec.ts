// The compact binary form of a run of consecutive trace events: what the store keeps as a BLOB per chunk of
// ~4096 events (DESIGN.md 7: ≤ 40 bytes per event on disk). Each event is coded against the previous one, so a
// typical register access costs one header byte, a one-byte offset delta and its value.
//
// Format, version 1 (all varints LEB128; "svar" = zigzag signed varint):
//
//   u8    version (= 1)
//   uvar  event count N
//   N events, each a header byte then its fields. seq is implicit: firstSeq + index (the store keeps firstSeq).
//
//   Access event, header bit 0 = 0:
//     bit 1     node index follows (uvar) — else same node as the previous event
//     bit 2     attributes follow (uvar: packed-codes.ts code & ATTR_MASK, >> 2: space, region, status, width)
//               — else the same as the previous access
//     bit 3     op: 0 R, 1 W
//     bits 4-5  time: 0 same as previous event, 1 +uvar ns, 2 -uvar ns, 3 f64 absolute (non-integer times)
//     bits 6-7  value: 0 zero, 1 same as the previous access, 2 uvar64, 3 all-ones of the width
//     fields in this order: [node] [attributes] [time] svar(offset - previous access offset) [value]
//
//   Mailbox / step event, header bit 0 = 1:
//     bit 1     0 mailbox, 1 step
//     bit 2     node index follows (mailbox only)
//     bits 4-5  time, as for accesses
//     fields: [node] [time] then the record as length-prefixed UTF-8 JSON
//       mailbox: {opcode, name, returnCode, returnName, inputHex, outputHex}
//       step:    {sequence, name, verdict, reason, evidence?}
//
//   Initial state: time 0, no node (the first event carries one), no attributes, offset 0, value 0.
//   Offsets and times must be below 2^52 (units.ts: addresses stay below 2^53).

import { OPS, REGIONS, SPACES, STATUSES, type Width } from '../common/access.js';
import type { MailboxTraceRecord, StepTraceRecord } from '../common/trace-sink.js';
import { ByteReader, ByteWriter, CorruptChunk } from './byte-io.js';
import type { AccessEvent, TraceEvent } from './event.js';
import { ATTR_MASK, KIND_MAILBOX, KIND_STEP, OP_BIT, packAccess } from './packed-codes.js';

export const CHUNK_VERSION = 1;

const H_RECORD = 0x01;
const H_STEP = 0x02;
const H_NODE = 0x02;
const H_REC_NODE = 0x04;
const H_ATTR = 0x04;
const H_WRITE = 0x08;
const TIME_SHIFT = 4;
const VALUE_SHIFT = 6;
const T_SAME = 0;
const T_PLUS = 1;
const T_MINUS = 2;
const T_RAW = 3;
const V_ZERO = 0;
const V_SAME = 1;
const V_VAR = 2;
const V_ONES = 3;

// Module-local aliases for the hot loop (some loaders compile imported bindings into getters).
const ATTR = ATTR_MASK;
const OPBIT = OP_BIT;
const SPACE_LIST = SPACES;
const REGION_LIST = REGIONS;
const STATUS_LIST = STATUSES;
const KIND_MAILBOX_CODE = KIND_MAILBOX;
const KIND_STEP_CODE = KIND_STEP;

/** Low half of all-ones for a width given as log2 (1, 2, 4, 8 bytes). */
const ONES_LO = [0xff, 0xffff, 0xffffffff, 0xffffffff];

/** Streams events into one chunk. TraceBuffer feeds it from its columns, encodeEvents from objects. */
export class ChunkEncoder {
  private readonly w: ByteWriter;
  private time = 0;
  private node = -1;
  private attr = -1;
  private offset = 0;
  private lo = 0;
  private hi = 0;

  constructor(count: number) {
    this.w = new ByteWriter(Math.max(64, count * 8));
    this.w.byte(CHUNK_VERSION);
    this.w.uvar(count);
  }

  private timeMode(t: number): number {
    const d = t - this.time;
    if (d === 0) return T_SAME;
    if (!Number.isSafeInteger(t) || !Number.isSafeInteger(d)) return T_RAW;
    return d > 0 ? T_PLUS : T_MINUS;
  }

  private writeTime(mode: number, t: number): void {
    if (mode === T_PLUS) this.w.uvar(t - this.time);
    else if (mode === T_MINUS) this.w.uvar(this.time - t);
    else if (mode === T_RAW) this.w.f64(t);
    this.time = t;
  }

  /** `packed` is a packed-codes.ts access code; lo/hi the value's 32-bit halves. */
  access(timeNs: number, node: number, packed: number, offset: number, lo: number, hi: number): void {
    const w = this.w;
    const attr = packed & ATTR;
    const tm = this.timeMode(timeNs);
    lo >>>= 0;
    hi >>>= 0;
    const wl = (packed >> 12) & 3;
    let vm: number;
    if (lo === 0 && hi === 0) vm = V_ZERO;
    else if (lo === this.lo && hi === this.hi) vm = V_SAME;
    else if (lo === ONES_LO[wl] && hi === (wl === 3 ? 0xffffffff : 0)) vm = V_ONES;
    else vm = V_VAR;
    let h = (packed & OPBIT ? H_WRITE : 0) | (tm << TIME_SHIFT) | (vm << VALUE_SHIFT);
    if (node !== this.node) h |= H_NODE;
    if (attr !== this.attr) h |= H_ATTR;
    w.byte(h);
    if (node !== this.node) {
      w.uvar(node);
      this.node = node;
    }
    if (attr !== this.attr) {
      w.uvar(attr >> 2);
      this.attr = attr;
    }
    this.writeTime(tm, timeNs);
    w.svar(offset - this.offset);
    this.offset = offset;
    if (vm === V_VAR) w.uvar64(lo, hi);
    this.lo = lo;
    this.hi = hi;
  }

  mailbox(timeNs: number, node: number, rec: MailboxTraceRecord): void {
    const tm = this.timeMode(timeNs);
    const newNode = node !== this.node;
    this.w.byte(H_RECORD | (newNode ? H_REC_NODE : 0) | (tm << TIME_SHIFT));
    if (newNode) {
      this.w.uvar(node);
      this.node = node;
    }
    this.writeTime(tm, timeNs);
    this.w.str(mailboxJson(rec));
  }

  step(timeNs: number, rec: StepTraceRecord): void {
    const tm = this.timeMode(timeNs);
    this.w.byte(H_RECORD | H_STEP | (tm << TIME_SHIFT));
    this.writeTime(tm, timeNs);
    this.w.str(stepJson(rec));
  }

  finish(): Uint8Array {
    return this.w.finish();
  }
}

const mailboxJson = (r: MailboxTraceRecord): string =>
  JSON.stringify({
    opcode: r.opcode,
    name: r.name,
    returnCode: r.returnCode,
    returnName: r.returnName,
    inputHex: r.inputHex,
    outputHex: r.outputHex,
  });

const stepJson = (r: StepTraceRecord): string =>
  JSON.stringify(
    r.evidence === undefined
      ? { sequence: r.sequence, name: r.name, verdict: r.verdict, reason: r.reason }
      : { sequence: r.sequence, name: r.name, verdict: r.verdict, reason: r.reason, evidence: r.evidence },
  );

const U32 = 0xffffffffn;

/** Encode events (in order; their seq is not stored — decode numbers them from firstSeq). */
export function encodeEvents(events: readonly TraceEvent[], nodeIndex: (path: string) => number): Uint8Array {
  const enc = new ChunkEncoder(events.length);
  for (const e of events) {
    if (e.kind === 'access') {
      const v = e.value;
      const packed = packAccess(
        SPACES.indexOf(e.space),
        REGIONS.indexOf(e.region),
        OPS.indexOf(e.op),
        STATUSES.indexOf(e.status),
        e.width,
      );
      enc.access(e.timeNs, nodeIndex(e.node), packed, e.offset, Number(v & U32), Number((v >> 32n) & U32));
    } else if (e.kind === 'mailbox') {
      enc.mailbox(e.timeNs, nodeIndex(e.node), e);
    } else {
      enc.step(e.timeNs, e);
    }
  }
  return enc.finish();
}

/**
 * Decode a chunk. `nodes` maps node index → topology path; events are numbered firstSeq, firstSeq+1, ...
 * Corrupt or truncated input throws an Error saying where (nothing partial is returned).
 */
export function decodeChunk(bytes: Uint8Array, nodes: readonly string[], firstSeq: number): TraceEvent[] {
  const r = new ByteReader(bytes);
  try {
    const version = r.byte();
    if (version !== CHUNK_VERSION) throw new CorruptChunk(`unsupported chunk version ${version}`);
    const count = r.uvar();
    const out: TraceEvent[] = new Array(count);
    let time = 0;
    let node = -1;
    let attr = -1;
    let offset = 0;
    let value = 0n;
    const nodeAt = (): string => {
      node = r.uvar();
      if (node >= nodes.length) throw new CorruptChunk(`node index ${node} not in the node table (${nodes.length})`);
      return nodes[node];
    };
    const readTime = (mode: number): void => {
      if (mode === T_PLUS) time += r.uvar();
      else if (mode === T_MINUS) time -= r.uvar();
      else if (mode === T_RAW) time = r.f64();
    };
    for (let i = 0; i < count; i++) {
      const at = r.pos;
      const h = r.byte();
      const seq = firstSeq + i;
      if (h & H_RECORD) {
        const isStep = (h & H_STEP) !== 0;
        if (!isStep && h & H_REC_NODE) nodeAt();
        readTime((h >> TIME_SHIFT) & 3);
        const json = JSON.parse(r.str()) as Record<string, unknown>;
        if (isStep) out[i] = { kind: 'step', seq, timeNs: time, ...(json as unknown as StepTraceRecord) };
        else {
          if (node < 0) throw new CorruptChunk(`mailbox event at byte ${at} has no node`);
          out[i] = { kind: 'mailbox', seq, timeNs: time, node: nodes[node], ...(json as unknown as MailboxTraceRecord) };
        }
        continue;
      }
      if (h & H_NODE) nodeAt();
      if (h & H_ATTR) attr = r.uvar() << 2;
      if (node < 0 || attr < 0) throw new CorruptChunk(`access at byte ${at} lacks node or attributes`);
      readTime((h >> TIME_SHIFT) & 3);
      offset += r.svar();
      const width = (1 << ((attr >> 12) & 3)) as Width; // packed-codes.ts layout
      const vm = (h >> VALUE_SHIFT) & 3;
      if (vm === V_ZERO) value = 0n;
      else if (vm === V_VAR) {
        const lo = r.uvar64();
        value = r.hi === 0 ? BigInt(lo) : (BigInt(r.hi) << 32n) | BigInt(lo);
      } else if (vm === V_ONES) value = width === 8 ? 0xffff_ffff_ffff_ffffn : BigInt(2 ** (8 * width) - 1);
      const space = SPACE_LIST[(attr >> 2) & 3];
      const region = REGION_LIST[(attr >> 4) & 15];
      const status = STATUS_LIST[(attr >> 9) & 7];
      if (space === undefined || region === undefined || status === undefined)
        throw new CorruptChunk(`access at byte ${at} has unknown attribute code 0x${attr.toString(16)}`);
      const ev: AccessEvent = {
        kind: 'access',
        seq,
        timeNs: time,
        node: nodes[node],
        space,
        region,
        offset,
        width,
        op: h & H_WRITE ? 'W' : 'R',
        value,
        status,
      };
      out[i] = ev;
    }
    if (!r.done) throw new CorruptChunk(`${bytes.length - r.pos} trailing bytes after ${count} events`);
    return out;
  } catch (e) {
    if (e instanceof CorruptChunk || e instanceof SyntaxError)
      throw new Error(`corrupt trace chunk (firstSeq ${firstSeq}): ${e.message}`);
    throw e;
  }
}


/**
 * A chunk decoded into columns instead of event objects: what a scan over a whole stored run (trace.page's
 * filter) needs, without a BigInt, an object or a JSON parse per event. Arrays may be longer than `count`
 * (decodeChunkColumns reuses them from chunk to chunk).
 */
export interface ChunkColumns {
  count: number;
  /** Node index (into the run's node table); -1 for steps. */
  node: Int32Array;
  /** packed-codes.ts code: kind (0 access, 1 mailbox, 2 step) and, for accesses, space/region/op/status/width. */
  code: Uint16Array;
  timeNs: Float64Array;
  /** Accesses only. */
  offset: Float64Array;
  valueLo: Uint32Array;
  valueHi: Uint32Array;
  /** Mailbox/step rows: byte position of the record's length-prefixed JSON in the chunk (see chunkRecord). */
  recordAt: Int32Array;
  bytes: Uint8Array;
}

function columnsFor(count: number, into: ChunkColumns | undefined, bytes: Uint8Array): ChunkColumns {
  if (into && into.node.length >= count) {
    into.count = count;
    into.bytes = bytes;
    return into;
  }
  const cap = Math.max(count, 64);
  return {
    count,
    node: new Int32Array(cap),
    code: new Uint16Array(cap),
    timeNs: new Float64Array(cap),
    offset: new Float64Array(cap),
    valueLo: new Uint32Array(cap),
    valueHi: new Uint32Array(cap),
    recordAt: new Int32Array(cap),
    bytes,
  };
}

/** Position after the varint at p (truncation throws through the reader). */
function skipVarint(bytes: Uint8Array, p: number, r: ByteReader): number {
  const len = bytes.length;
  const start = p;
  while (p < len && bytes[p] >= 0x80) p++;
  if (p >= len) r.truncatedAt(p);
  if (p - start > 9) throw new CorruptChunk(`varint too long at byte ${start}`);
  return p + 1;
}

/**
 * Decode a chunk into columns (reusing `into` when it is large enough). With `attributesOnly`, only node,
 * code and recordAt are filled (time, offset and value are stepped over and left stale): what a filter on
 * node / space / op / status needs. Checks as decodeChunk does — a corrupt or truncated chunk throws the same
 * kind of Error — except that records' JSON is only located, not parsed (chunkRecord parses one on demand).
 */
export function decodeChunkColumns(
  bytes: Uint8Array,
  nodeCount: number,
  firstSeq: number,
  into?: ChunkColumns,
  attributesOnly = false,
): ChunkColumns {
  const r = new ByteReader(bytes);
  try {
    const version = r.byte();
    if (version !== CHUNK_VERSION) throw new CorruptChunk(`unsupported chunk version ${version}`);
    const count = r.uvar();
    const out = columnsFor(count, into, bytes);
    const { node: nodeCol, code, timeNs, offset: offCol, valueLo, valueHi, recordAt } = out;
    let time = 0;
    let node = -1;
    let attr = -1;
    let offset = 0;
    let lo = 0;
    let hi = 0;
    // One-byte varints (the common case: small deltas, node and attribute codes) are read inline; longer ones
    // and every bounds failure go through the ByteReader, which throws CorruptChunk.
    const len = bytes.length;
    let p = r.pos;
    for (let i = 0; i < count; i++) {
      const at = p;
      if (p >= len) r.truncatedAt(p);
      const h = bytes[p++];
      if (h & H_RECORD) {
        r.pos = p;
        const isStep = (h & H_STEP) !== 0;
        if (!isStep && h & H_REC_NODE) {
          node = r.uvar();
          if (node >= nodeCount) throw new CorruptChunk(`node index ${node} not in the node table (${nodeCount})`);
        }
        const tm = (h >> TIME_SHIFT) & 3;
        if (tm === T_PLUS) time += r.uvar();
        else if (tm === T_MINUS) time -= r.uvar();
        else if (tm === T_RAW) time = r.f64();
        if (!isStep && node < 0) throw new CorruptChunk(`mailbox event at byte ${at} has no node`);
        recordAt[i] = r.pos;
        r.skipStr();
        p = r.pos;
        nodeCol[i] = isStep ? -1 : node;
        code[i] = isStep ? KIND_STEP_CODE : KIND_MAILBOX_CODE;
        timeNs[i] = time;
        offCol[i] = 0;
        valueLo[i] = 0;
        valueHi[i] = 0;
        continue;
      }
      if (h & H_NODE) {
        const b = p < len ? bytes[p] : 0x80;
        if (b < 0x80) (node = b), p++;
        else (r.pos = p), (node = r.uvar()), (p = r.pos);
        if (node >= nodeCount) throw new CorruptChunk(`node index ${node} not in the node table (${nodeCount})`);
      }
      if (h & H_ATTR) {
        const b = p < len ? bytes[p] : 0x80;
        if (b < 0x80) (attr = b << 2), p++;
        else (r.pos = p), (attr = r.uvar() << 2), (p = r.pos);
        if (SPACE_LIST[(attr >> 2) & 3] === undefined || REGION_LIST[(attr >> 4) & 15] === undefined || STATUS_LIST[(attr >> 9) & 7] === undefined)
          throw new CorruptChunk(`access at byte ${at} has unknown attribute code 0x${attr.toString(16)}`);
      }
      if (node < 0 || attr < 0) throw new CorruptChunk(`access at byte ${at} lacks node or attributes`);
      const tm = (h >> TIME_SHIFT) & 3;
      if (attributesOnly) {
        // A filter's scan: step over time, offset and value without computing them.
        if (tm === T_RAW) {
          p += 8;
          if (p > len) r.truncatedAt(len);
        } else if (tm !== T_SAME) p = skipVarint(bytes, p, r);
        p = skipVarint(bytes, p, r);
        if (((h >> VALUE_SHIFT) & 3) === V_VAR) p = skipVarint(bytes, p, r);
        nodeCol[i] = node;
        code[i] = attr | (h & H_WRITE ? OPBIT : 0);
        continue;
      }
      if (tm !== T_SAME) {
        const b = p < len ? bytes[p] : 0x80;
        if (tm !== T_RAW && b < 0x80) {
          p++;
          time = tm === T_PLUS ? time + b : time - b;
        } else {
          r.pos = p;
          if (tm === T_PLUS) time += r.uvar();
          else if (tm === T_MINUS) time -= r.uvar();
          else time = r.f64();
          p = r.pos;
        }
      }
      {
        // svar: zigzag
        const b = p < len ? bytes[p] : 0x80;
        if (b < 0x80) {
          p++;
          offset += (b & 1) === 0 ? b / 2 : -(b + 1) / 2;
        } else {
          r.pos = p;
          offset += r.svar();
          p = r.pos;
        }
      }
      const vm = (h >> VALUE_SHIFT) & 3;
      if (vm === V_ZERO) lo = hi = 0;
      else if (vm === V_VAR) {
        r.pos = p;
        lo = r.uvar64();
        hi = r.hi;
        p = r.pos;
      } else if (vm === V_ONES) {
        const wl = (attr >> 12) & 3;
        lo = ONES_LO[wl];
        hi = wl === 3 ? 0xffffffff : 0;
      }
      nodeCol[i] = node;
      code[i] = attr | (h & H_WRITE ? OPBIT : 0);
      timeNs[i] = time;
      offCol[i] = offset;
      valueLo[i] = lo;
      valueHi[i] = hi;
    }
    r.pos = p;
    if (!r.done) throw new CorruptChunk(`${bytes.length - r.pos} trailing bytes after ${count} events`);
    return out;
  } catch (e) {
    if (e instanceof CorruptChunk) throw new Error(`corrupt trace chunk (firstSeq ${firstSeq}): ${e.message}`);
    throw e;
  }
}

/** The mailbox/step record whose length-prefixed JSON starts at byte `at` of a chunk (ChunkColumns.recordAt). */
export function chunkRecordAt(bytes: Uint8Array, at: number): MailboxTraceRecord | StepTraceRecord {
  const r = new ByteReader(bytes);
  r.pos = at;
  return JSON.parse(r.str()) as MailboxTraceRecord | StepTraceRecord;
}

/** The mailbox/step record of row i of decoded columns (its JSON parsed now). */
export function chunkRecord(cols: ChunkColumns, i: number): MailboxTraceRecord | StepTraceRecord {
  const r = new ByteReader(cols.bytes);
  r.pos = cols.recordAt[i];
  return JSON.parse(r.str()) as MailboxTraceRecord | StepTraceRecord;
}
