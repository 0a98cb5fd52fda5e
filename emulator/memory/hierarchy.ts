// The memory path's view of a CXL hierarchy: only what routes HPAs (windows, decoders, port numbers) and what
// holds bytes (an endpoint's media). emulator/topology builds it from the platform; tests can build it by hand.

import type { Dpa } from '../../common/units.js';
import type { HdmDecoders } from '../hdm/hdm-decoders.js';
import type { CommittedDecoder } from '../hdm/commit-checks.js';

/** What an endpoint says about touching [dpa, dpa+length) (emulator/mailbox Type3Backend.mediaAccess). */
export type MediaAccessVerdict = 'ok' | 'poisoned' | 'media-disabled' | 'locked' | 'out-of-range';

export interface MemEndpoint {
  kind: 'endpoint';
  path: string;
  hdm: HdmDecoders;
  /**
   * DVSEC CXL Control Mem_Enable (CXL 2.0 8.1.3.2, default 0): a device answers CXL.mem only while it is set.
   * Absent: always enabled (hand-built hierarchies in tests). Changes must bump `hdm` (HdmDecoders.invalidate).
   */
  memEnabled?(): boolean;
  /**
   * With HDM Decoder Enable clear the device decodes with its DVSEC CXL Range registers instead (CXL 2.0
   * 8.2.5.12.2, 8.1.3.8): one 1-way "decoder" per range with a size, DPA base = the sizes of the ranges
   * before it (as Linux's emulated decoders reserve DPA). Absent: no DVSEC decode. Stable objects while the
   * registers do not change (the route cache compares them); changes must bump `hdm`.
   */
  dvsecRanges?(): readonly CommittedDecoder[];
  mediaAccess(dpa: Dpa, length: number): MediaAccessVerdict;
  read(dpa: Dpa, out: Uint8Array): void;
  write(dpa: Dpa, data: Uint8Array): void;
}

export interface MemSwitch {
  kind: 'switch';
  /** Path of the upstream port, whose HDM decoders route. */
  path: string;
  hdm: HdmDecoders;
  /** Downstream port number -> its path and what is below it (null: empty port). */
  ports: ReadonlyMap<number, MemPort>;
}

export interface MemPort {
  path: string;
  child: MemEndpoint | MemSwitch | null;
}

export interface MemHostBridge {
  path: string;
  uid: number;
  /** Null: no HDM decoders, pass-through to the single root port (linux-probe.md 1). */
  hdm: HdmDecoders | null;
  rootPorts: ReadonlyMap<number, MemPort>;
}

export interface MemWindow {
  name: string;
  base: number;
  size: number;
  granularity: number;
  /** Host bridges in interleave order (null where the UID names no host bridge). */
  targets: readonly (MemHostBridge | null)[];
  /** XOR arithmetic: the CXIMS XORMAPs that select the host bridge (common/interleave-math.ts); absent: modulo. */
  xorMaps?: readonly number[];
}

export interface MemHierarchy {
  windows: readonly MemWindow[];
  /** Every decoder set that routes, so the path can watch them for changes. */
  decoders: readonly HdmDecoders[];
}
