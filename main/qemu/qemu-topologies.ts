// Topologies that match exactly what QEMU 7.2 builds (qemu-facts.ts): persistent-only Type 3 devices, one
// HDM decoder per component, host-bridge UIDs equal to their bus numbers, windows where QEMU puts them.
// `run --target qemu --topology qemu-single` and the fixtures in test/fixtures/qemu-linux/<name> use them; the
// same JSON is written beside each fixture (topology.json) so other tools can load it as a topology file.

import type { RawTopology } from '../../emulator/topology/schema.js';

const device = (serial: string) => ({
  capacity: { persistent: '256MiB' },
  lsa: '128KiB',
  serial,
  decoders: 1,
  profile: 'qemu' as const,
});
const window = (targets: number[]) => ({ base: '0x110000000', size: '4GiB', targets, granularity: 256, restrictions: ['type2', 'type3', 'volatile', 'persistent'] as ('type2' | 'type3' | 'volatile' | 'persistent')[] });

export const QEMU_TOPOLOGIES = {
  'qemu-single': {
    name: 'qemu-single',
    hostBridges: [{ uid: 12, bus: 12, decoders: 1, chbcr: '0x100000000', rootPorts: [{ port: 0, endpoint: device('0x1000') }] }],
    windows: [window([12])],
  },
  'qemu-interleave2': {
    name: 'qemu-interleave2',
    hostBridges: [
      {
        uid: 12,
        bus: 12,
        decoders: 1,
        chbcr: '0x100000000',
        rootPorts: [
          { port: 0, endpoint: device('0x2000') },
          { port: 1, endpoint: device('0x2001') },
        ],
      },
    ],
    windows: [window([12])],
  },
  'qemu-switch4': {
    name: 'qemu-switch4',
    hostBridges: [
      {
        uid: 12,
        bus: 12,
        decoders: 1,
        chbcr: '0x100000000',
        rootPorts: [{ port: 0, switch: { decoders: 1, downstreamPorts: [0, 1, 2, 3].map((p) => ({ port: p, endpoint: device(`0x400${p}`) })) } }],
      },
    ],
    windows: [window([12])],
  },
  'qemu-hb2': {
    name: 'qemu-hb2',
    hostBridges: [
      { uid: 12, bus: 12, decoders: 1, chbcr: '0x100000000', rootPorts: [{ port: 0, endpoint: device('0x3000') }] },
      { uid: 32, bus: 32, decoders: 1, chbcr: '0x100010000', rootPorts: [{ port: 0, endpoint: device('0x3001') }] },
    ],
    windows: [window([12, 32])],
  },
} satisfies Record<string, RawTopology>;

export type QemuTopologyName = keyof typeof QEMU_TOPOLOGIES;
export const QEMU_TOPOLOGY_NAMES = Object.keys(QEMU_TOPOLOGIES) as QemuTopologyName[];
export const isQemuTopologyName = (n: string): n is QemuTopologyName => n in QEMU_TOPOLOGIES;
