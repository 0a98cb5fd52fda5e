// Structures placed at different offsets on the two sides (issue 14): a DVSEC at 0x144 on silicon and at 0x148
// in the model, a capability behind another pointer. Register keys are structure-relative (normalise.ts names a
// register "<block> · <register>", an undeclared offset inside a block "<block> · +0xN"), so the accesses align
// whatever the base; this lists each move once so the report says "moved" instead of nothing.

import type { Layout } from '../../common/layout.js';
import type { BlockResolver } from '../layout-index.js';

export interface StructureMove {
  /** B's node name. */
  node: string;
  /** The block's name (emulator/spec BlockDecl.name), as the structure summary names it. */
  structure: string;
  region: string;
  /** Offset of the structure in the region on side A and on side B. */
  a: number;
  b: number;
}

/**
 * For each node both layouts have (A's names through `nodeMap`), the blocks of one kind in one region paired in
 * offset order (the first DVSEC of an id with the first, …); those whose offsets differ are moves.
 */
export function structureMoves(layoutA: Layout, layoutB: Layout, resolve: BlockResolver, nodeMap: Readonly<Record<string, string>>): StructureMove[] {
  const byNodeB = new Map(layoutB.map((n) => [n.node, n]));
  const out: StructureMove[] = [];
  for (const na of layoutA) {
    const node = nodeMap[na.node] ?? na.node;
    const nb = byNodeB.get(node);
    if (!nb) continue;
    const group = (blocks: typeof na.blocks): Map<string, number[]> => {
      const m = new Map<string, number[]>();
      for (const b of [...blocks].sort((x, y) => x.base - y.base)) {
        const k = `${b.region}\u0000${b.block}\u0000${JSON.stringify(b.params ?? {})}`;
        (m.get(k) ?? m.set(k, []).get(k)!).push(b.base);
      }
      return m;
    };
    const ga = group(na.blocks);
    const gb = group(nb.blocks);
    for (const [k, basesA] of ga) {
      const basesB = gb.get(k);
      if (!basesB) continue;
      const [region, id, params] = k.split('\u0000');
      const decl = resolve(id, JSON.parse(params) as Record<string, number>);
      for (let i = 0; i < Math.min(basesA.length, basesB.length); i++) {
        if (basesA[i] === basesB[i]) continue;
        out.push({ node, structure: decl?.name ?? id, region, a: basesA[i], b: basesB[i] });
      }
    }
  }
  return out;
}

/** "moved: PCIe DVSEC for CXL Devices cfg 0x144 → 0x148". */
export const moveText = (m: StructureMove): string =>
  `moved: ${m.node} · ${m.structure} ${m.region} 0x${m.a.toString(16)} → 0x${m.b.toString(16)}`;
