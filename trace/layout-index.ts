// Offset → register lookup for a run's layout (common/layout.ts), built once per (layout, resolver) and
// shared by decode, compare and export: a binary search over each (node, region)'s sorted register starts,
// instead of a scan of every block per event.

import type { Region } from '../common/access.js';
import type { Layout, PlacedBlock } from '../common/layout.js';
import type { BlockDecl, RegisterDecl } from '../emulator/regs/types.js';

/** The signature of emulator/spec/blocks.ts `resolveBlock`, injected so trace/ can be used without it. */
export type BlockResolver = (id: string, params?: Readonly<Record<string, number>>) => BlockDecl | undefined;

export interface RegisterHit {
  placed: PlacedBlock;
  block: BlockDecl;
  register: RegisterDecl;
  /** Offset of the register's first byte within the region. */
  base: number;
}

interface RegionTable {
  starts: Float64Array;
  hits: RegisterHit[];
}

/** A placed block with its declaration, for offsets that fall inside a block but in no declared register. */
export interface BlockHit {
  placed: PlacedBlock;
  block: BlockDecl;
}

export class LayoutIndex {
  private readonly tables = new Map<string, RegionTable>();
  private readonly kinds = new Map<string, string>();
  private readonly blocks = new Map<string, BlockHit[]>();

  constructor(layout: Layout, resolve: BlockResolver) {
    const lists = new Map<string, RegisterHit[]>();
    for (const node of layout) {
      this.kinds.set(node.node, node.kind);
      for (const placed of node.blocks) {
        const block = resolve(placed.block, placed.params);
        if (!block) continue;
        const key = tableKey(node.node, placed.region);
        let list = lists.get(key);
        if (!list) lists.set(key, (list = []));
        let blocks = this.blocks.get(key);
        if (!blocks) this.blocks.set(key, (blocks = []));
        blocks.push({ placed, block });
        for (const register of block.registers) list.push({ placed, block, register, base: placed.base + register.offset });
      }
    }
    for (const [key, list] of lists) {
      list.sort((x, y) => x.base - y.base);
      this.tables.set(key, { starts: Float64Array.from(list, (h) => h.base), hits: list });
    }
  }

  /** The register containing byte `offset` of (node, region), if the layout declares one. */
  lookup(node: string, region: Region, offset: number): RegisterHit | undefined {
    const t = this.tables.get(tableKey(node, region));
    if (!t) return undefined;
    const s = t.starts;
    let lo = 0;
    let hi = s.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid] <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return undefined;
    // Overlapping declarations (a 64-bit register and its 32-bit halves): prefer the latest start that covers.
    for (let i = found; i >= 0 && i > found - 4; i--) {
      const h = t.hits[i];
      if (offset < h.base + h.register.width) return h;
    }
    return undefined;
  }

  /**
   * The block containing byte `offset` of (node, region), whether or not a register is declared there: data
   * areas such as the mailbox payload (CXL 2.0 8.2.8.4.8) are blocks without registers.
   */
  blockAt(node: string, region: Region, offset: number): BlockHit | undefined {
    const list = this.blocks.get(tableKey(node, region));
    if (!list) return undefined;
    for (const b of list) if (offset >= b.placed.base && offset < b.placed.base + b.block.size) return b;
    return undefined;
  }

  /** Registers of (node, region) overlapping [offset, offset + width), in address order. */
  overlapping(node: string, region: Region, offset: number, width: number): RegisterHit[] {
    const out: RegisterHit[] = [];
    const first = this.lookup(node, region, offset);
    if (first) out.push(first);
    for (let o = (first ? first.base + first.register.width : offset + 1); o < offset + width; ) {
      const h = this.lookup(node, region, o);
      if (h && h !== out[out.length - 1]) {
        out.push(h);
        o = h.base + h.register.width;
      } else o++;
    }
    return out;
  }
}

const tableKey = (node: string, region: Region): string => `${node}\u0000${region}`;

const cache = new WeakMap<Layout, WeakMap<BlockResolver, LayoutIndex>>();

/** The index of `layout`, built on first use and cached for the layout's lifetime. */
export function layoutIndex(layout: Layout, resolve: BlockResolver): LayoutIndex {
  let byResolver = cache.get(layout);
  if (!byResolver) cache.set(layout, (byResolver = new WeakMap()));
  let idx = byResolver.get(resolve);
  if (!idx) byResolver.set(resolve, (idx = new LayoutIndex(layout, resolve)));
  return idx;
}
