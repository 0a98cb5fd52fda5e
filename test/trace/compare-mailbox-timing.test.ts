// The two timing-dependent spots of a mailbox conversation, as the compare engine sees them on the real CXL
// mailbox layout (emulator/spec cxl-mailbox + cxl-mailbox-payload, CXL 2.0 8.2.8.4):
//  - a background command's wait (MB Status, Background Command Status polled in turn) that a fast device
//    finishes before the first poll and a slow one after N polls folds into one "poll until done";
//  - "mailbox.<opcode>" masks reach the Command Payload reads that returned that command's output.
// Every case runs through event arrays and TraceBuffer columns, which must agree.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../common/clock.js';
import { regionCode, spaceCode, statusCode } from '../../common/access.js';
import type { Layout } from '../../common/layout.js';
import { resolveBlock } from '../../emulator/spec/blocks.js';
import { compareTraces, type CompareOptions, type CompareResult } from '../../trace/compare/index.js';
import type { AccessEvent, TraceEvent } from '../../trace/event.js';
import { TraceBuffer } from '../../trace/trace-buffer.js';
import { acc, renumber } from './fixtures.js';

const EP = 'hb0.rp0.ep0';
const MB = 0x200; // mailbox registers in BAR2; payload at MB + 0x20
const CTRL = MB + 0x04;
const CMD = MB + 0x08;
const STATUS = MB + 0x10;
const BG = MB + 0x18;
const PAYLOAD = MB + 0x20;
const layout: Layout = [
  {
    node: EP,
    kind: 'type3',
    blocks: [
      { region: 'bar2', base: MB, block: 'cxl-mailbox' },
      { region: 'bar2', base: PAYLOAD, block: 'cxl-mailbox-payload' },
    ],
  },
];
const opts: CompareOptions = { layoutA: layout, layoutB: layout, resolve: resolveBlock };

const SCAN_MEDIA = 0x4304;
const GET_TIMESTAMP = 0x0300;
const IDENTIFY = 0x4000;
const RC_BG_STARTED = 1n << 32n;
/** MB Status: Return Code [47:32], Background Operation [0] (CXL 2.0 8.2.8.4.6). */
const status = (rc: bigint, running: boolean): bigint => rc | (running ? 1n : 0n);
/** Background Command Status: opcode [15:0], Percentage Complete [22:16], return code [47:32] (8.2.8.4.7). */
const bgStatus = (op: number, percent: number): bigint => BigInt(op) | (BigInt(percent) << 16n);
const read = (off: number, v: bigint, w: 4 | 8 = 8): AccessEvent => acc(EP, 'bar2', off, 'R', v, w);
const write = (off: number, v: bigint, w: 4 | 8 = 8): AccessEvent => acc(EP, 'bar2', off, 'W', v, w);

/** Command Register write, doorbell, doorbell poll, MB Status. */
function start(op: number, rc: bigint, running = false): AccessEvent[] {
  return [write(CMD, BigInt(op)), write(CTRL, 1n, 4), read(CTRL, 0n, 4), read(STATUS, status(rc, running))];
}

/** A Scan Media whose background wait polls `busy` times before the device reports it done. */
function scanMedia(busy: number): AccessEvent[] {
  const polls = Array.from({ length: busy }, (_, i) => [read(BG, bgStatus(SCAN_MEDIA, 10 * i)), read(STATUS, status(RC_BG_STARTED, true))]).flat();
  return [
    ...start(SCAN_MEDIA, RC_BG_STARTED, busy > 0),
    ...polls,
    read(BG, bgStatus(SCAN_MEDIA, 100)),
    read(STATUS, status(RC_BG_STARTED, false)),
    read(CMD, BigInt(SCAN_MEDIA)),
  ];
}

/** A command whose output is `out` (dwords), read from the payload area. */
function withOutput(op: number, out: number[]): AccessEvent[] {
  return [...start(op, 0n), read(CMD, BigInt(op) | (BigInt(out.length * 4) << 16n)), ...out.map((v, i) => read(PAYLOAD + 4 * i, BigInt(v), 4))];
}

function buffer(evs: TraceEvent[]): TraceBuffer {
  const buf = new TraceBuffer(new VirtualClock());
  for (const e of evs) {
    if (e.kind !== 'access') throw new Error('accesses only');
    buf.access(buf.nodeId(e.node), spaceCode(e.space), regionCode(e.region), e.offset, e.width, e.op === 'W' ? 1 : 0, Number(e.value & 0xffff_ffffn), Number(e.value >> 32n), statusCode(e.status));
  }
  return buf;
}

/** compareTraces over event arrays, checked against the columnar path. */
function compare(a: TraceEvent[], b: TraceEvent[], o: CompareOptions = opts): CompareResult {
  const ra = renumber(a);
  const rb = renumber(b);
  const slow = compareTraces(ra, rb, o);
  const fast = compareTraces(buffer(ra), buffer(rb), o);
  const view = (r: CompareResult) => ({ equal: r.equal, counts: r.counts, events: r.events, registers: r.registers, hunks: r.hunksPage(0, r.hunkCount).map((h) => h.items.map((i) => i.text)) });
  expect(view(fast)).toEqual(view(slow));
  return slow;
}

const differing = (r: CompareResult): string[] => r.registers.filter((x) => x.valueDiffers + x.onlyA + x.onlyB + x.pollCountDiffers > 0).map((x) => x.register);

describe('compare: background wait folds into one "poll until done"', () => {
  it('finds a Scan Media done before the first poll equal to one polled 1 or 5 times before it finished', () => {
    const fast = scanMedia(0);
    for (const busy of [1, 5]) {
      const r = compare(scanMedia(busy), fast);
      expect(r.counts, r.firstDivergence?.text).toMatchObject({ valueDiffers: 0, onlyA: 0, onlyB: 0, pollCountDiffers: 0 });
      expect(r.equal).toBe(true);
      // One entry each for MB Status and Background Command Status, however long the wait.
      expect(r.events.entriesA).toBe(r.events.entriesB);
    }
  });

  it('shows the wait without the default masks: Background Operation differs at the first MB Status read', () => {
    const r = compare(scanMedia(1), scanMedia(0), { ...opts, defaultMasks: false });
    expect(r.equal).toBe(false);
    expect(r.firstDivergence!.kind).toBe('value');
    expect(r.firstDivergence!.fields).toEqual([{ name: 'Background Operation', a: 1n, b: 0n, masked: false }]);
    expect(differing(r)).toEqual(expect.arrayContaining([`${EP} · CXL Mailbox Registers · Mailbox Status · R8`]));
  });

  it('still compares how many polls a doorbell stays busy (unmasked state), and a background wait that fails', () => {
    const busyDoorbell = (n: number): AccessEvent[] => [
      write(CMD, BigInt(IDENTIFY)),
      write(CTRL, 1n, 4),
      ...Array.from({ length: n }, () => read(CTRL, 1n, 4)),
      read(CTRL, 0n, 4),
      read(STATUS, 0n),
    ];
    // The busy reads are a differing read kept as its own entry (Doorbell = 1, ×3), absent from the other trace.
    const r = compare(busyDoorbell(3), busyDoorbell(0));
    expect(r.equal).toBe(false);
    expect(differing(r)).toEqual([`${EP} · CXL Mailbox Registers · Mailbox Control · R4`]);
    expect(r.hunksPage(0, 1)[0].items.map((i) => i.a?.count)).toContain(3);
    // 3 busy polls against 1: both traces have the entry, the counts differ.
    expect(compare(busyDoorbell(3), busyDoorbell(1)).counts).toMatchObject({ pollCountDiffers: 1, onlyA: 0, onlyB: 0 });
    // A background command that ends with another return code is a difference, not folded away.
    const failed = scanMedia(2);
    failed[failed.length - 3] = read(BG, bgStatus(SCAN_MEDIA, 100) | (0x15n << 32n));
    const f = compare(failed, scanMedia(0));
    expect(f.equal).toBe(false);
    expect(differing(f)).toContain(`${EP} · CXL Mailbox Registers · Background Command Status · R8`);
    expect(f.hunksPage(0, f.hunkCount).flatMap((h) => h.items.map((i) => i.text)).join('\n')).toMatch(/Return Code=0x15/);
  });

  it('ignores the length of any loop waiting only on masked bits: a user-masked doorbell', () => {
    const doorbell = (n: number): AccessEvent[] => [write(CTRL, 1n, 4), ...Array.from({ length: n }, () => read(CTRL, 1n, 4)), read(CTRL, 0n, 4)];
    expect(compare(doorbell(4), doorbell(0)).equal).toBe(false);
    const masked = compare(doorbell(4), doorbell(0), { ...opts, masks: ['Mailbox Control.Doorbell'] });
    expect(masked.counts).toMatchObject({ equal: 2, pollCountDiffers: 0, onlyA: 0, onlyB: 0 });
    expect(masked.events).toMatchObject({ entriesA: 2, entriesB: 2 });
  });

  it('folds loops of up to 4 registers per iteration that wait on masked state, only within a run of reads', () => {
    // Each iteration reads Background Command Status (Percentage Complete rising: masked) and up to 4 others.
    const others = [STATUS, CMD, CTRL, MB];
    const loop = (width: number, iterations: number, opts: { writeBetween?: boolean; still?: boolean } = {}): AccessEvent[] =>
      Array.from({ length: iterations }, (_, i) => [
        read(BG, bgStatus(SCAN_MEDIA, opts.still ? 50 : 10 * i)),
        ...others.slice(0, width - 1).map((o) => read(o, 7n, o === CTRL || o === MB ? 4 : 8)),
        ...(opts.writeBetween ? [write(CTRL, 0n, 4)] : []),
      ]).flat();
    for (const w of [1, 2, 4]) {
      const r = compare(loop(w, 3), loop(w, 1));
      expect(r.events, `${w} registers`).toMatchObject({ a: 3 * w, entriesA: w, entriesB: w });
      expect(r.equal, `${w} registers`).toBe(true);
    }
    expect(compare(loop(5, 3), loop(5, 3)).events).toMatchObject({ a: 15, entriesA: 15 });
    expect(compare(loop(2, 3, { writeBetween: true }), loop(2, 3, { writeBetween: true })).events).toMatchObject({ a: 9, entriesA: 9 });
    // Several registers read again with nothing changing is not a poll loop (a BIOS re-reading a header)...
    expect(compare(loop(2, 3, { still: true }), loop(2, 3, { still: true })).events).toMatchObject({ a: 6, entriesA: 6 });
    // ...while one register read again N times is, and keeps its count: 3 reads against 2 differ.
    expect(compare(loop(1, 3, { still: true }), loop(1, 2, { still: true })).counts).toMatchObject({ pollCountDiffers: 1, onlyA: 0, onlyB: 0 });
  });
});

describe('compare: mailbox.<opcode> masks reach the Command Payload reads', () => {
  const ts = (t: number): AccessEvent[] => withOutput(GET_TIMESTAMP, [t, 0x1797_8b9a]);

  it('masks the Get Timestamp output read from the payload by default, and only with the default masks', () => {
    const r = compare(ts(0x362a_0000), ts(0x3632_b322));
    expect(r.counts, r.firstDivergence?.text).toMatchObject({ valueDiffers: 0, onlyA: 0, onlyB: 0 });
    expect(r.equal).toBe(true);
    const strict = compare(ts(0x362a_0000), ts(0x3632_b322), { ...opts, defaultMasks: false });
    expect(strict.counts.valueDiffers).toBe(1);
    expect(strict.firstDivergence!.text).toContain('0x362a0000 ≠ 0x3632b322');
  });

  it('leaves other commands’ payload reads compared unless masked by "mailbox.<opcode>"', () => {
    const a = withOutput(IDENTIFY, [1, 2, 3]);
    const b = withOutput(IDENTIFY, [1, 9, 3]);
    expect(compare(a, b).counts.valueDiffers).toBe(1);
    expect(compare(a, b, { ...opts, masks: ['mailbox.0x4000'] }).equal).toBe(true);
    expect(compare(a, b, { ...opts, masks: ['mailbox.0x4001'] }).equal).toBe(false);
  });

  it('associates payload reads with the opcode last written: a later command’s output is compared again', () => {
    const a = [...ts(5), ...withOutput(IDENTIFY, [1, 2])];
    const b = [...ts(6), ...withOutput(IDENTIFY, [1, 3])];
    const r = compare(a, b);
    expect(r.counts.valueDiffers).toBe(1);
    expect(r.firstDivergence!.b!.event).toMatchObject({ offset: PAYLOAD + 4, value: 3n });
  });

  it('does not mask input written to the payload, nor payload reads with no layout', () => {
    const input = (v: bigint): AccessEvent[] => [write(CMD, BigInt(GET_TIMESTAMP)), write(PAYLOAD, v, 4), ...ts(1)];
    expect(compare(input(1n), input(2n)).counts.valueDiffers).toBe(1);
    expect(compare(ts(5), ts(6), {}).counts.valueDiffers).toBe(1);
  });
});
