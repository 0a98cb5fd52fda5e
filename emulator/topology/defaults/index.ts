// The three built-in topologies, in topology-file form (so they go through the same validation as a user's
// file). `single`: one device; `interleave2`: two devices behind two root ports of one host bridge, for a
// 2-way region (the host bridge decoder interleaves; the window has the one host bridge as its target, since a
// CFMWS interleaves across host bridges); `switch4`: a switch with four downstream ports and four devices.

import type { RawTopology } from '../schema.js';
import { REGION_TOPOLOGIES } from './region-topologies.js';

const device = (serial: string) => ({
  capacity: { volatile: '256MiB', persistent: '256MiB' },
  lsa: '128KiB',
  serial,
  decoders: 4,
});

export const DEFAULT_TOPOLOGIES = {
  single: {
    name: 'single',
    hostBridges: [{ uid: 0, bus: 0x0c, rootPorts: [{ port: 0, endpoint: device('0x1000') }] }],
    windows: [{ base: '0x1000000000', size: '4GiB', targets: [0], granularity: 256 }],
  },
  interleave2: {
    name: 'interleave2',
    hostBridges: [
      {
        uid: 0,
        bus: 0x0c,
        decoders: 4,
        rootPorts: [
          { port: 0, endpoint: device('0x2000') },
          { port: 1, endpoint: device('0x2001') },
        ],
      },
    ],
    windows: [{ base: '0x1000000000', size: '4GiB', targets: [0], granularity: 256 }],
  },
  switch4: {
    name: 'switch4',
    hostBridges: [
      {
        uid: 0,
        bus: 0x0c,
        rootPorts: [
          {
            port: 0,
            switch: {
              decoders: 4,
              downstreamPorts: [0, 1, 2, 3].map((p) => ({ port: p, endpoint: device(`0x400${p}`) })),
            },
          },
        ],
      },
    ],
    windows: [{ base: '0x1000000000', size: '4GiB', targets: [0], granularity: 256 }],
  },
  ...REGION_TOPOLOGIES,
} satisfies Record<string, RawTopology>;

export type DefaultTopologyName = keyof typeof DEFAULT_TOPOLOGIES;
export const DEFAULT_TOPOLOGY_NAMES = Object.keys(DEFAULT_TOPOLOGIES) as DefaultTopologyName[];
