// A validated topology: what `loadTopology` returns and everything else in emulator/topology builds from.
// All sizes and addresses are plain byte counts (numbers; every address we model stays below 2^53).
// Node paths follow one naming rule (paths.ts): hb<index>, rp<port>, sw<n>.usp, dsp<port>, ep0.

import type { DeviceProfile } from '../type3/config.js';

/** Where a hardware endpoint lives: validated and carried for hil/, never interpreted here. */
export interface EndpointBackend {
  /** Link URI, e.g. "uartbone:/dev/ttyUSB0@115200". */
  link: string;
  /** Device map: a file name (LiteX csr.json/csv or a map file) or an inline map object; absent for sysfs links. */
  map?: string | Readonly<Record<string, unknown>>;
}

export interface EndpointNode {
  kind: 'endpoint';
  path: string;
  volatileBytes: number;
  persistentBytes: number;
  partitionableBytes: number;
  lsaBytes: number;
  serial: bigint;
  /** HDM decoders in the endpoint's component registers. */
  decoders: number;
  profile: DeviceProfile;
  backend?: EndpointBackend;
  /** Function numbers that are not CXL functions: builds the Non-CXL Function Map DVSEC (CXL 2.0 8.1.4). */
  nonCxlFunctions?: number[];
  /** Multi-Logical Device with this many LDs: builds the MLD DVSEC (CXL 2.0 8.1.10). */
  mld?: { logicalDevices: number };
}

export interface SwitchNode {
  kind: 'switch';
  /** Path of the switch, e.g. "hb0.rp0.sw0"; its USP is `${path}.usp`. */
  path: string;
  /** HDM decoders in the USP's component registers. */
  decoders: number;
  /** Target Count the USP's HDM capability advertises (targets per decoder). */
  targetCount: number;
  downstreamPorts: PortNode[];
}

/** A root port or a switch downstream port, with what is plugged into it (or nothing). */
export interface PortNode {
  kind: 'root-port' | 'switch-dsp';
  path: string;
  /** Port number: the value a decoder target list names (PCIe Link Capabilities Port Number). */
  port: number;
  child: EndpointNode | SwitchNode | null;
}

export interface HostBridgeNode {
  kind: 'host-bridge';
  path: string;
  /** ACPI _UID, named by CHBS and CFMWS target lists. */
  uid: number;
  /** Root bus number (ACPI _BBN); null = assigned after the previous host bridge's buses. */
  bus: number | null;
  /** CHBCR base address; null = assigned by the platform. */
  chbcr: number | null;
  /** HDM decoders in the CHBCR; 0 = pass-through (allowed with exactly one root port). */
  decoders: number;
  targetCount: number;
  rootPorts: PortNode[];
}

/** CFMWS Window Restrictions bits (CXL 2.0 9.14.1.3, ACPI CEDT). */
export const RESTRICTION_BITS = {
  type2: 1 << 0,
  type3: 1 << 1,
  volatile: 1 << 2,
  persistent: 1 << 3,
  fixed: 1 << 4,
} as const;
export type Restriction = keyof typeof RESTRICTION_BITS;

export interface WindowNode {
  /** "CFMWS0", ... in file order. */
  name: string;
  base: number;
  size: number;
  /** Host bridge UIDs, in interleave order. */
  targets: number[];
  /** Host bridge interleave granularity (HBIG) in bytes. */
  granularity: number;
  restrictions: number;
  qtg: number;
  /** CFMWS Interleave Arithmetic (CXL 2.0 9.14.1.3): 'modulo' (0) or 'xor' (1, with a CEDT CXIMS). */
  arithmetic: 'modulo' | 'xor';
  /** CXIMS XORMAPs for an XOR window (CXL 3.0 9.17.1.4), one per address bit of host-bridge selection; [] for modulo. */
  xorMaps: number[];
}

export interface Topology {
  name: string;
  hostBridges: HostBridgeNode[];
  windows: WindowNode[];
}

export interface TopologyError {
  /** Dotted/indexed path of the bad field, e.g. "hostBridges[0].rootPorts[1].endpoint.capacity.persistent". */
  path: string;
  message: string;
}

export type TopologyResult = { ok: true; topology: Topology } | { ok: false; errors: TopologyError[] };
