// A small declared layout for decode / compare tests (blocks declared here, not taken from emulator/spec).
import type { Layout } from '../../common/layout.js';
import type { BlockDecl } from '../../emulator/regs/types.js';
import type { BlockResolver } from '../../trace/layout-index.js';
import type { AccessEvent } from '../../trace/event.js';

export const MBOX: BlockDecl = {
  id: 'test-mailbox',
  name: 'Mailbox',
  size: 0x20,
  registers: [
    {
      name: 'Control',
      offset: 0x4,
      width: 4,
      fields: [
        { name: 'Doorbell', bits: [0, 0], access: 'RW', desc: 'busy' },
        { name: 'IntEnable', bits: [1, 1], access: 'RW', desc: 'irq' },
        { name: 'Reserved', bits: [31, 2], access: 'RsvdP', desc: 'reserved' },
      ],
    },
    {
      name: 'Status',
      offset: 0x10,
      width: 8,
      fields: [
        { name: 'ReturnCode', bits: [47, 32], access: 'RO', desc: 'rc', values: { 0: 'Success', 1: 'Background Command Started' } },
        { name: 'Timestamp', bits: [15, 0], access: 'RO', desc: 'a timestamp that legitimately differs' },
      ],
    },
    {
      name: 'BgStatus',
      offset: 0x18,
      width: 8,
      fields: [
        { name: 'Opcode', bits: [15, 0], access: 'RO', desc: 'op' },
        { name: 'Progress', bits: [22, 16], access: 'RO', desc: 'percent complete' },
      ],
    },
  ],
};

export const HEADER: BlockDecl = {
  id: 'test-header',
  name: 'Header',
  size: 0x10,
  registers: [
    {
      name: 'ID',
      offset: 0,
      width: 4,
      fields: [
        { name: 'Vendor', bits: [15, 0], access: 'RO', desc: 'vendor' },
        { name: 'Device', bits: [31, 16], access: 'RO', desc: 'device' },
      ],
    },
    {
      name: 'Serial',
      offset: 4,
      width: 4,
      fields: [{ name: 'Serial', bits: [31, 0], access: 'RO', desc: 'serial number' }],
    },
  ],
};

export const resolve: BlockResolver = (id) => [MBOX, HEADER].find((b) => b.id === id);

export const layoutFor = (node: string): Layout => [
  {
    node,
    kind: 'type3',
    blocks: [
      { region: 'cfg', base: 0, block: 'test-header' },
      { region: 'bar2', base: 0x80, block: 'test-mailbox' },
    ],
  },
];

let seq = 0;
export const acc = (
  node: string,
  region: AccessEvent['region'],
  offset: number,
  op: 'R' | 'W',
  value: bigint,
  width: AccessEvent['width'] = 4,
): AccessEvent => ({
  kind: 'access',
  seq: seq++,
  timeNs: seq * 10,
  node,
  space: region === 'cfg' ? 'cfg' : region === 'hpa' ? 'mem' : 'mmio',
  region,
  offset,
  width,
  op,
  value,
  status: 'ok',
});

/** Renumber seq densely from 0 and set times 10, 20, 30 ... ns (fixtures are built from pieces). */
export const renumber = <T extends { seq: number; timeNs: number }>(evs: T[]): T[] =>
  evs.map((e, i) => ({ ...e, seq: i, timeNs: (i + 1) * 10 }));
