// A topology's nodes (flat, with dotted paths "hb0.rp0.sw0.dsp1.ep0") as rows of a tree view: each row's
// depth and parent, children in path order under their parent (host bridge -> root port -> switch -> endpoint).
import type { TopologyNodeInfo } from '../../../main/api/contract.js';

export interface TreeRow {
  node: TopologyNodeInfo;
  depth: number;
  parent: string | null;
  /** Last label of the path, e.g. "ep0". */
  label: string;
  hasChildren: boolean;
}

/**
 * The nearest ancestor present in `paths`. A switch is not a node itself: its ports are "sw0.usp" and
 * "sw0.dspN", and a DSP hangs below its switch's USP, as the PCIe hierarchy has it (the USP's secondary bus).
 */
function parentOf(path: string, paths: Set<string>): string | null {
  const parts = path.split('.');
  for (let n = parts.length - 1; n > 0; n--) {
    const p = parts.slice(0, n).join('.');
    if (paths.has(p)) return p;
    const usp = `${p}.usp`;
    if (usp !== path && paths.has(usp)) return usp;
  }
  return null;
}

export function topologyRows(nodes: readonly TopologyNodeInfo[]): TreeRow[] {
  const paths = new Set(nodes.map((n) => n.path));
  const children = new Map<string | null, TopologyNodeInfo[]>();
  for (const n of nodes) {
    const p = parentOf(n.path, paths);
    const list = children.get(p) ?? [];
    list.push(n);
    children.set(p, list);
  }
  const rows: TreeRow[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const n of children.get(parent) ?? []) {
      rows.push({ node: n, depth, parent, label: n.path.split('.').pop()!, hasChildren: children.has(n.path) });
      walk(n.path, depth + 1);
    }
  };
  walk(null, 0);
  return rows;
}

export const KIND_LABEL: Record<TopologyNodeInfo['kind'], string> = {
  'host-bridge': 'host bridge',
  'root-port': 'root port',
  'switch-usp': 'switch USP',
  'switch-dsp': 'switch DSP',
  type3: 'Type 3',
};
