// Built-in topologies for regions the way Linux builds them (issue 13): host-bridge XOR interleave (CEDT
// CXIMS), 3/6/12-way windows (the 3/6/12-way ECN: modulo 3 at the root), and devices with only persistent or
// only volatile capacity, or both in different amounts.

import type { RawTopology } from '../schema.js';

type Cap = { volatile?: string; persistent?: string };
const dev = (serial: string, capacity: Cap = { volatile: '256MiB', persistent: '256MiB' }) => ({ capacity, lsa: '128KiB', serial, decoders: 4 });

/** `n` host bridges (UIDs 0..n-1), each with `rps` root ports holding one device. */
const bridges = (n: number, rps: number, serialBase: number, capacity?: Cap) =>
  Array.from({ length: n }, (_, h) => ({
    uid: h,
    bus: 0x0c + 0x10 * h,
    rootPorts: Array.from({ length: rps }, (_, r) => ({ port: r, endpoint: dev(`0x${(serialBase + h * 0x10 + r).toString(16)}`, capacity) })),
  }));

export const REGION_TOPOLOGIES = {
  /** Two host bridges with two root ports each under one XOR window (default Driver Writer's Guide XORMAPs). */
  xor2: {
    name: 'xor2',
    hostBridges: bridges(2, 2, 0x5000),
    windows: [{ base: '0x1000000000', size: '8GiB', targets: [0, 1], granularity: 256, arithmetic: 'xor' }],
  },
  /** Three host bridges (one root port each, pass-through) under a 3-way window. */
  way3: {
    name: 'way3',
    hostBridges: bridges(3, 1, 0x6000),
    windows: [{ base: '0x1000000000', size: '6GiB', targets: [0, 1, 2], granularity: 256 }],
  },
  /** Three host bridges with two root ports each: a 6-way region (3-way window x 2-way host bridges). */
  way6: {
    name: 'way6',
    hostBridges: bridges(3, 2, 0x7000),
    windows: [{ base: '0x1000000000', size: '12GiB', targets: [0, 1, 2], granularity: 256 }],
  },
  /** Three host bridges with four root ports each: a 12-way region (3-way window x 4-way host bridges). */
  way12: {
    name: 'way12',
    hostBridges: bridges(3, 4, 0x8000),
    windows: [{ base: '0x1000000000', size: '24GiB', targets: [0, 1, 2], granularity: 256 }],
  },
  /** Two persistent-memory-only devices behind one host bridge (the common QEMU pmem set-up). */
  'pmem-only': {
    name: 'pmem-only',
    hostBridges: bridges(1, 2, 0x9000, { persistent: '512MiB' }),
    windows: [{ base: '0x1000000000', size: '4GiB', targets: [0], granularity: 256 }],
  },
  /** Two volatile-only devices behind one host bridge. */
  'ram-only': {
    name: 'ram-only',
    hostBridges: bridges(1, 2, 0xa000, { volatile: '512MiB' }),
    windows: [{ base: '0x1000000000', size: '4GiB', targets: [0], granularity: 256 }],
  },
  /** Two devices with both partitions in different sizes, so the pmem DPA starts at different offsets. */
  mixed: {
    name: 'mixed',
    hostBridges: [
      {
        uid: 0,
        bus: 0x0c,
        rootPorts: [
          { port: 0, endpoint: dev('0xb000', { volatile: '512MiB', persistent: '256MiB' }) },
          { port: 1, endpoint: dev('0xb001', { volatile: '256MiB', persistent: '512MiB' }) },
        ],
      },
    ],
    windows: [{ base: '0x1000000000', size: '4GiB', targets: [0], granularity: 256 }],
  },
} satisfies Record<string, RawTopology>;
