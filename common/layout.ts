// Where each register structure lives on each node. Known by construction for emulated nodes, discovered by
// host `enumerate` for hardware; stored with every run so any trace event can be decoded (DESIGN.md 5).

import type { Region } from './access.js';

export interface PlacedBlock {
  region: Region;
  /** Byte offset of the block within the region. */
  base: number;
  /** Block kind id; `emulator/spec` maps (id, params) to a BlockDecl. */
  block: string;
  /** Builder parameters that shape the block (e.g. { decoders: 4 } for an HDM decoder structure). */
  params?: Readonly<Record<string, number>>;
}

export type NodeKind = 'host-bridge' | 'root-port' | 'switch-usp' | 'switch-dsp' | 'type3';

export interface NodeLayout {
  /** Topology path, e.g. "hb0.rp1.ep0". */
  node: string;
  kind: NodeKind;
  blocks: PlacedBlock[];
}

export type Layout = NodeLayout[];
