// The topology as a picture (issue 15): boxes placed as a tree — leaves side by side, a parent centred over its
// children, one row per level — and the lines between them; and the HPA map: each CFMWS window of the topology
// file with its interleave over host bridges, and where an address lands (modulo arithmetic, CXL 2.0 9.13.1:
// target = (HPA - base) / granularity mod ways).
import type { TopologyNodeInfo } from '../../../main/api/contract.js';
import { topologyRows } from './topology-tree.js';

export interface PlacedNode {
  node: TopologyNodeInfo;
  x: number;
  y: number;
  label: string;
}

export interface Diagram {
  nodes: PlacedNode[];
  links: { from: PlacedNode; to: PlacedNode }[];
  width: number;
  height: number;
}

export const BOX_W = 92;
export const BOX_H = 34;
const GAP_X = 12;
const GAP_Y = 26;

export function layoutDiagram(nodes: readonly TopologyNodeInfo[]): Diagram {
  const rows = topologyRows(nodes);
  const kids = new Map<string | null, string[]>();
  for (const r of rows) kids.set(r.parent, [...(kids.get(r.parent) ?? []), r.node.path]);
  const byPath = new Map(rows.map((r) => [r.node.path, r]));
  const placed = new Map<string, PlacedNode>();
  let nextLeaf = 0;
  const place = (path: string): number => {
    const r = byPath.get(path)!;
    const children = kids.get(path) ?? [];
    let x: number;
    if (children.length === 0) x = nextLeaf++ * (BOX_W + GAP_X);
    else {
      const xs = children.map(place);
      x = (xs[0]! + xs[xs.length - 1]!) / 2;
    }
    placed.set(path, { node: r.node, x, y: r.depth * (BOX_H + GAP_Y), label: r.label });
    return x;
  };
  for (const root of kids.get(null) ?? []) place(root);
  const list = rows.map((r) => placed.get(r.node.path)!);
  const links = rows.filter((r) => r.parent !== null).map((r) => ({ from: placed.get(r.parent!)!, to: placed.get(r.node.path)! }));
  const width = Math.max(BOX_W, ...list.map((p) => p.x + BOX_W));
  const height = Math.max(BOX_H, ...list.map((p) => p.y + BOX_H));
  return { nodes: list, links, width, height };
}

export interface HpaWindow {
  base: number;
  size: number;
  /** Host bridge uids, in interleave order. */
  targets: number[];
  granularity: number;
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 };

/** A topology file's size or address (number, "0x…", "4GiB"). */
export function sizeOf(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return null;
  const t = v.trim();
  if (/^0x[0-9a-f]+$/i.test(t)) return Number.parseInt(t, 16);
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]i?b|b)?$/i.exec(t);
  if (!m) return null;
  return Math.round(Number(m[1]) * (SIZE_UNITS[(m[2] ?? '').toLowerCase().replace(/^([kmgt])b$/, '$1ib')] ?? 1));
}

/** The windows of a topology file's JSON (those it can read), in base order. */
export function windowsOf(json: string): HpaWindow[] {
  try {
    const t = JSON.parse(json) as { windows?: { base?: unknown; size?: unknown; targets?: unknown; granularity?: unknown }[] };
    let next = 0x10_0000_0000; // 64 GiB: where the loader places windows without a base (emulator/topology/validate.ts)
    const out: HpaWindow[] = [];
    for (const w of t.windows ?? []) {
      const size = sizeOf(w.size);
      if (size === null) continue;
      const base = sizeOf(w.base) ?? next;
      next = base + size;
      const targets = Array.isArray(w.targets) ? w.targets.filter((x): x is number => typeof x === 'number') : [];
      out.push({ base, size, targets, granularity: sizeOf(w.granularity) ?? 256 });
    }
    return out.sort((a, b) => a.base - b.base);
  } catch {
    return [];
  }
}

export type Landing = { window: number; target: number; hostBridgeUid: number; offset: number } | { window: -1; why: string };

/** Which window and host bridge an HPA reaches. */
export function landing(windows: readonly HpaWindow[], hpa: number): Landing {
  const i = windows.findIndex((w) => hpa >= w.base && hpa < w.base + w.size);
  if (i < 0) return { window: -1, why: 'in no CFMWS window: an access there is unclaimed (reads all-ones)' };
  const w = windows[i]!;
  const ways = Math.max(1, w.targets.length);
  const target = Math.floor((hpa - w.base) / w.granularity) % ways;
  return { window: i, target, hostBridgeUid: w.targets[target] ?? 0, offset: hpa - w.base };
}
