// The topology file's shape, as a zod schema (types and unknown keys). Meaning (alignment, references,
// interleave rules) is checked afterwards by validate.ts, which also names the bad field.
//
// File form (JSON; sizes and addresses as numbers or strings such as "0x10000000", "256MiB", "4GiB"):
// { "name": "single",
//   "hostBridges": [{ "uid": 0, "bus"?: 0, "chbcr"?: "0x80000000", "decoders"?: 4,
//                     "rootPorts": [{ "port"?: 0, "endpoint"?: {...} | "switch"?: {...} }] }],
//   "windows": [{ "base"?: "64GiB", "size": "4GiB", "targets": [0], "granularity"?: 256,
//                 "restrictions"?: ["type3", "volatile", "persistent"], "qtg"?: 0,
//                 "arithmetic"?: "modulo" | "xor", "xorMaps"?: ["0x2020900"] (CEDT CXIMS) }] }
// endpoint: { "capacity": { "volatile"?, "persistent"?, "partitionable"? }, "lsa"?, "serial"?, "decoders"?,
//             "profile"?: "spec" | "qemu", "backend"?: { "link": "uartbone:/dev/ttyUSB0@115200", "map": "x.json" },
//             "nonCxlFunctions"?: [1, 2] (Non-CXL Function Map DVSEC), "mld"?: { "logicalDevices": 4 } (MLD DVSEC) }
// switch:   { "decoders"?: 4, "targetCount"?: 8, "downstreamPorts": [port, ...] }

import { z } from 'zod';

const sizeLike = z.union([z.number(), z.string()], { error: 'must be a number or a size string such as "256MiB"' });
const int = (what: string) => z.number({ error: `must be ${what}` }).int({ error: `must be ${what}` });

export const endpointSchema = z.strictObject({
  capacity: z.strictObject({
    volatile: sizeLike.optional(),
    persistent: sizeLike.optional(),
    partitionable: sizeLike.optional(),
  }),
  lsa: sizeLike.optional(),
  serial: z.union([z.number(), z.string()], { error: 'must be a number or a hex string' }).optional(),
  decoders: int('an integer').optional(),
  profile: z.enum(['spec', 'spec-2.0', 'qemu', 'qemu-7.2'], { error: 'must be "spec", "spec-2.0", "qemu" or "qemu-7.2"' }).optional(),
  nonCxlFunctions: z.array(int('an integer function number'), { error: 'must be a list of function numbers' }).optional(),
  mld: z.strictObject({ logicalDevices: int('an integer') }, { error: 'must be an object such as { "logicalDevices": 4 }' }).optional(),
  backend: z
    .strictObject({
      link: z.string({ error: 'must be a link URI string' }).min(1, { error: 'must not be empty' }),
      map: z
        .union([z.string().min(1), z.record(z.string(), z.unknown())], {
          error: 'must be a file name or a map object',
        })
        .optional(),
    })
    // A bridge's bus layout is the board's own (its csr.json); a sysfs function's is fixed (hil/sysfs), so only
    // a sysfs link may leave the map out.
    .refine((b) => b.map !== undefined || b.link.startsWith('sysfs:'), {
      message: 'required for a bridge link (uartbone, etherbone): where the endpoint sits on the board\'s bus; only a sysfs: link has a fixed layout',
      path: ['map'],
    })
    .optional(),
});

export interface RawPort {
  port?: number;
  endpoint?: z.infer<typeof endpointSchema>;
  switch?: RawSwitch;
}
export interface RawSwitch {
  decoders?: number;
  targetCount?: number;
  downstreamPorts: RawPort[];
}

export const portSchema: z.ZodType<RawPort> = z.lazy(() =>
  z.strictObject({
    port: int('an integer port number').optional(),
    endpoint: endpointSchema.optional(),
    switch: switchSchema.optional(),
  }),
);

export const switchSchema: z.ZodType<RawSwitch> = z.lazy(() =>
  z.strictObject({
    decoders: int('an integer').optional(),
    targetCount: int('an integer').optional(),
    downstreamPorts: z.array(portSchema, { error: 'must be a list of ports' }),
  }),
);

export const hostBridgeSchema = z.strictObject({
  uid: int('an integer UID'),
  bus: int('an integer bus number').optional(),
  chbcr: sizeLike.optional(),
  decoders: int('an integer').optional(),
  targetCount: int('an integer').optional(),
  rootPorts: z.array(portSchema, { error: 'must be a list of root ports' }),
});

export const windowSchema = z.strictObject({
  base: sizeLike.optional(),
  size: sizeLike,
  targets: z.array(int('an integer host bridge UID'), { error: 'must be a list of host bridge UIDs' }),
  granularity: sizeLike.optional(),
  restrictions: z
    .array(z.enum(['type2', 'type3', 'volatile', 'persistent', 'fixed'], { error: 'must be type2, type3, volatile, persistent or fixed' }))
    .optional(),
  qtg: int('an integer QTG ID').optional(),
  arithmetic: z.enum(['modulo', 'xor'], { error: 'must be "modulo" or "xor"' }).optional(),
  xorMaps: z.array(sizeLike, { error: 'must be a list of XORMAP bit masks such as "0x2020900"' }).optional(),
});

export const topologySchema = z.strictObject({
  name: z.string({ error: 'must be a string' }).optional(),
  hostBridges: z.array(hostBridgeSchema, { error: 'must be a list of host bridges' }),
  windows: z.array(windowSchema, { error: 'must be a list of CFMWS windows' }).optional(),
});

export type RawTopology = z.infer<typeof topologySchema>;
export type RawEndpoint = z.infer<typeof endpointSchema>;
export type RawHostBridge = z.infer<typeof hostBridgeSchema>;
export type RawWindow = z.infer<typeof windowSchema>;
