// Structure-relative access keys: an access as (structure, offset within it, op, width) from a node's register
// layout, so a model's accesses and a real device's line up even where the two place a structure differently
// (QEMU 7.2 vs ours). An offset no structure covers keys as region@offset.

import type { NodeLayout, PlacedBlock } from '../../common/layout.js';

export interface KeyedAccess {
  region: string;
  offset: number;
  width: number;
  op: 'R' | 'W';
  value: bigint;
}

/** Blocks of one region sorted by base (ties keep layout order; the later, more specific block wins). */
export class StructureIndex {
  private readonly byRegion = new Map<string, PlacedBlock[]>();

  constructor(layout: NodeLayout | undefined) {
    for (const b of layout?.blocks ?? []) {
      const list = this.byRegion.get(b.region) ?? [];
      list.push(b);
      this.byRegion.set(b.region, list);
    }
    for (const list of this.byRegion.values()) list.sort((a, b) => a.base - b.base);
  }

  /** The structure holding `offset` (the last block whose base ≤ offset), or null. */
  structureAt(region: string, offset: number): PlacedBlock | null {
    const list = this.byRegion.get(region);
    if (!list) return null;
    let found: PlacedBlock | null = null;
    for (const b of list) {
      if (b.base > offset) break;
      found = b;
    }
    return found;
  }

  /** "dvsec-cxl-device+0x1c R4". */
  key(a: KeyedAccess): string {
    const s = this.structureAt(a.region, a.offset);
    const where = s ? `${s.block}+0x${(a.offset - s.base).toString(16)}` : `${a.region}@0x${a.offset.toString(16)}`;
    return `${where} ${a.op}${a.width}`;
  }
}
