// Builds one PCI function out of block kinds from the registry (emulator/spec/blocks.ts), so what the emulator
// runs and what trace decode resolves are the same declarations. Used by the Type 3 device; ports and host
// bridges (emulator/topology) assemble themselves the same way.

import type { Region } from '../../common/access.js';
import type { PlacedBlock } from '../../common/layout.js';
import { CFG_RULES, type AccessRules } from '../regs/access-rules.js';
import { RegisterBlock } from '../regs/register-block.js';
import { RegisterSpace } from '../regs/register-space.js';
import { resolveBlock, type BlockParams } from '../spec/blocks.js';
import { blockBehaviour } from './behaviours.js';

export interface ChainEntry {
  kind: string;
  params: Record<string, number>;
  /** Fixed offset; otherwise placed right after the previous entry (dword aligned). */
  at?: number;
}

export interface ChainPlacement {
  kind: string;
  base: number;
  params: Record<string, number>;
}

/**
 * Lay out a capability list: assign offsets (fixed or packed from `start`) and set each entry's `next` param to
 * the following entry's offset (0 for the last), as PCI capability lists and extended capability lists link.
 */
export function layoutChain(entries: readonly ChainEntry[], start: number): ChainPlacement[] {
  const out: ChainPlacement[] = [];
  let at = start;
  for (const e of entries) {
    const base = e.at ?? at;
    const decl = resolveBlock(e.kind, e.params);
    const size = decl ? decl.size : 4;
    out.push({ kind: e.kind, base, params: { ...e.params } });
    at = (base + size + 3) & ~3;
  }
  out.forEach((p, i) => (p.params.next = i + 1 < out.length ? out[i + 1].base : 0));
  return out;
}

export class FunctionAssembly {
  readonly spaces = new Map<Region, RegisterSpace>();
  readonly layout: PlacedBlock[] = [];

  constructor(
    /** Role passed to registered block behaviours ('type3', 'root-port', ...). */
    readonly role: string,
    cfgSize = 0x1000,
  ) {
    this.spaces.set('cfg', new RegisterSpace(cfgSize, CFG_RULES));
  }

  /** Create (or return) a BAR/CHBCR space of `size` bytes. */
  space(region: Region, size: number, gapRules: AccessRules): RegisterSpace {
    let s = this.spaces.get(region);
    if (!s) {
      s = new RegisterSpace(size, gapRules);
      this.spaces.set(region, s);
    }
    return s;
  }

  /** Instantiate block kind `kind` with `params` at `base` of `region`. Unknown kinds return undefined. */
  add(region: Region, base: number, kind: string, params: BlockParams, rules: AccessRules, opts: { data?: boolean } = {}): RegisterBlock | undefined {
    const decl = resolveBlock(kind, params);
    const space = this.spaces.get(region);
    if (!decl || !space) return undefined;
    const block = new RegisterBlock(decl, rules, opts);
    space.place(base, block);
    blockBehaviour(kind)?.(block, { role: this.role, params });
    this.layout.push({ region, base, block: kind, params: { ...params } });
    return block;
  }
}
