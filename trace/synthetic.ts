// A deterministic synthetic workload, shaped like a real bring-up run, for tests, benchmarks and demos: config
// space walks, mailbox commands with doorbell poll loops, HDM decoder programming with commit polls, memory
// reads/writes through the HPA path, and sequence steps. `divergence` perturbs a fraction of accesses (a
// value changed, an access dropped or added) and of poll loops (longer) with its own random stream, so a
// trace and its perturbed twin stay aligned everywhere else.

import { regionCode, spaceCode, type Region, type Space } from '../common/access.js';
import type { VirtualClock } from '../common/clock.js';
import type { TraceSink } from '../common/trace-sink.js';

export interface SyntheticOptions {
  /** Number of events to emit (stops exactly there). */
  events: number;
  seed?: number;
  /** Fraction (0..1) of accesses perturbed (value changed, dropped, or followed by an extra one). */
  divergence?: number;
  divergenceSeed?: number;
  /** Endpoint node paths (default two). */
  nodes?: readonly string[];
  /**
   * Each node's workload from its own random stream (seed + node index), and the order in which the nodes take
   * turns from this one: two traces with the same seed and different interleave seeds hold the same per-device
   * traffic in a different interleaving (devices probed in parallel). Steps are then named after their node.
   * Each node then emits its share of `events` and finishes its last block (the total slightly exceeds `events`).
   */
  interleaveSeed?: number;
}

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hash32 = (x: number): number => {
  let h = Math.imul(x ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

/** Emit a synthetic run into `sink`, advancing `clock`. Returns the number of events emitted. */
export function emitSyntheticTrace(sink: TraceSink, clock: VirtualClock, opts: SyntheticOptions): number {
  const perNode = opts.interleaveSeed !== undefined;
  let r = rng(opts.seed ?? 1);
  const d = rng(opts.divergenceSeed ?? 7);
  const divergence = opts.divergence ?? 0;
  const paths = opts.nodes ?? ['hb0.rp0.ep0', 'hb0.rp1.ep1'];
  const nodes = paths.map((p) => sink.nodeId(p));
  const nodeRng = paths.map((_, i) => rng((opts.seed ?? 1) * 7919 + i + 1));
  const turn = rng(opts.interleaveSeed ?? 0);
  const memCursors = paths.map(() => 0);
  const stepNos = paths.map(() => 0);
  const limit = perNode ? Infinity : opts.events;
  const share = opts.events / paths.length;
  const emitted = paths.map(() => 0);
  let n = 0;
  let perturb = 0; // for the next access: 0 none, 1 value, 2 drop, 3 extra
  const roll = (): number => {
    if (divergence <= 0) return 0;
    const x = d();
    return x < divergence ? 1 + Math.floor((x / divergence) * 3) : 0;
  };

  const acc = (node: number, space: Space, region: Region, offset: number, width: number, write: boolean, value: number): void => {
    if (n >= limit) return;
    clock.advance(40 + (hash32(n) & 7) * 10); // jitter without consuming the workload's random stream
    perturb = roll();
    if (perturb === 2) {
      perturb = 0;
      return;
    }
    if (perturb === 1) {
      value = (value ^ 0x10) >>> 0;
      perturb = 0;
    }
    sink.access(node, spaceCode(space), regionCode(region), offset, width, write ? 1 : 0, value >>> 0, 0, 0);
    n++;
    if (perturb === 3 && n < limit) {
      perturb = 0;
      sink.access(node, spaceCode(space), regionCode(region), offset + 4, width, 0, 0, 0, 0);
      n++;
    }
  };

  const cfgWalk = (node: number): void => {
    for (let off = 0; off < 0x40; off += 4) acc(node, 'cfg', 'cfg', off, 4, false, hash32(node * 4096 + off));
  };

  const mailbox = (node: number): void => {
    const op = [0x4000, 0x4100, 0x4200, 0x0300][Math.floor(r() * 4)];
    acc(node, 'mmio', 'bar2', 0x80 + 0x08, 8, true, op); // Command register (CXL 2.0 8.2.8.4.5)
    acc(node, 'mmio', 'bar2', 0x80 + 0x04, 4, true, 1); // Mailbox Control: doorbell
    let polls = 1 + Math.floor(r() * 6);
    if (divergence > 0 && d() < divergence) polls += 2;
    for (let i = 0; i < polls; i++) acc(node, 'mmio', 'bar2', 0x80 + 0x04, 4, false, 1);
    acc(node, 'mmio', 'bar2', 0x80 + 0x04, 4, false, 0);
    acc(node, 'mmio', 'bar2', 0x80 + 0x10, 8, false, 0); // Mailbox Status: success
    const payloadDw = 1 + Math.floor(r() * 4);
    for (let i = 0; i < payloadDw; i++) acc(node, 'mmio', 'bar2', 0x80 + 0x20 + i * 4, 4, false, hash32(op + i));
    if (n < limit) {
      clock.advance(10);
      sink.mailbox(node, {
        opcode: op,
        name: `op-${op.toString(16)}`,
        returnCode: 0,
        returnName: 'Success',
        inputHex: '',
        outputHex: hash32(op).toString(16).padStart(8, '0'),
      });
      n++;
    }
  };

  const hdmCommit = (node: number): void => {
    const dec = Math.floor(r() * 4);
    const base = 0x1000 + 0x10 + dec * 0x20; // HDM decoder n registers (CXL 2.0 8.2.5.12)
    const hpaBase = 0x10_0000_0000 / 0x1000_0000 + dec;
    acc(node, 'mmio', 'bar0', base + 0x00, 4, true, (hpaBase & 0xf) << 28);
    acc(node, 'mmio', 'bar0', base + 0x04, 4, true, hpaBase >>> 4);
    acc(node, 'mmio', 'bar0', base + 0x08, 4, true, 0x1000_0000);
    acc(node, 'mmio', 'bar0', base + 0x0c, 4, true, 0);
    acc(node, 'mmio', 'bar0', base + 0x10, 4, true, 0x200); // Commit
    const polls = Math.floor(r() * 3);
    for (let i = 0; i < polls; i++) acc(node, 'mmio', 'bar0', base + 0x10, 4, false, 0x200);
    acc(node, 'mmio', 'bar0', base + 0x10, 4, false, 0x600); // Committed
  };

  let memCursor = 0;
  const memory = (node: number): void => {
    const lines = 4 + Math.floor(r() * 12);
    const write = r() < 0.3;
    for (let i = 0; i < lines; i++) {
      acc(node, 'mem', 'hpa', 0x10_0000_0000 + memCursor, 8, write, write ? hash32(memCursor) : hash32(memCursor) & 0xffff);
      memCursor += 64;
    }
  };

  let stepNo = 0;
  const left = paths.map((_, i) => i);
  while (perNode ? left.length > 0 : n < limit) {
    let ni: number;
    const before = n;
    if (perNode) {
      ni = left[Math.floor(turn() * left.length)];
      r = nodeRng[ni];
      memCursor = memCursors[ni];
      stepNo = stepNos[ni];
    } else ni = Math.floor(r() * nodes.length);
    const node = nodes[ni];
    const which = r();
    if (which < 0.1) cfgWalk(node);
    else if (which < 0.55) mailbox(node);
    else if (which < 0.7) hdmCommit(node);
    else memory(node);
    if (which > 0.98 && n < limit) {
      clock.advance(5);
      sink.step({ sequence: 'synthetic', name: perNode ? `${paths[ni]}: step ${stepNo++}` : `step ${stepNo++}`, verdict: 'pass', reason: 'ok' });
      n++;
    }
    if (perNode) {
      memCursors[ni] = memCursor;
      stepNos[ni] = stepNo;
      emitted[ni] += n - before;
      if (emitted[ni] >= share) left.splice(left.indexOf(ni), 1);
    }
  }
  return n;
}
