import { describe, expect, test } from 'vitest';
import type { TopologyNodeInfo } from '../../main/api/contract.js';
import { topologyRows } from '../../renderer/src/lib/topology-tree.js';

const node = (path: string, kind: TopologyNodeInfo['kind']): TopologyNodeInfo => ({ path, kind, backend: 'emulated' });

describe('topology tree rows', () => {
  test('switch DSPs hang below the switch USP and endpoints below their DSP, in path order', () => {
    const rows = topologyRows([
      node('hb0', 'host-bridge'),
      node('hb0.rp0', 'root-port'),
      node('hb0.rp0.sw0.usp', 'switch-usp'),
      node('hb0.rp0.sw0.dsp0', 'switch-dsp'),
      node('hb0.rp0.sw0.dsp0.ep0', 'type3'),
      node('hb0.rp0.sw0.dsp1', 'switch-dsp'),
      node('hb0.rp0.sw0.dsp1.ep0', 'type3'),
    ]);
    expect(rows.map((r) => [r.node.path, r.depth, r.parent])).toEqual([
      ['hb0', 0, null],
      ['hb0.rp0', 1, 'hb0'],
      ['hb0.rp0.sw0.usp', 2, 'hb0.rp0'],
      ['hb0.rp0.sw0.dsp0', 3, 'hb0.rp0.sw0.usp'],
      ['hb0.rp0.sw0.dsp0.ep0', 4, 'hb0.rp0.sw0.dsp0'],
      ['hb0.rp0.sw0.dsp1', 3, 'hb0.rp0.sw0.usp'],
      ['hb0.rp0.sw0.dsp1.ep0', 4, 'hb0.rp0.sw0.dsp1'],
    ]);
    expect(rows.filter((r) => r.hasChildren).map((r) => r.label)).toEqual(['hb0', 'rp0', 'usp', 'dsp0', 'dsp1']);
  });

  test('two host bridges are two roots; every node appears once', () => {
    const nodes = [node('hb1', 'host-bridge'), node('hb0.rp0.ep0', 'type3'), node('hb0', 'host-bridge'), node('hb0.rp0', 'root-port'), node('hb1.rp0', 'root-port')];
    const rows = topologyRows(nodes);
    expect(rows).toHaveLength(nodes.length);
    expect(rows.filter((r) => r.depth === 0).map((r) => r.node.path)).toEqual(['hb1', 'hb0']);
    expect(rows.find((r) => r.node.path === 'hb0.rp0.ep0')!.parent).toBe('hb0.rp0');
  });
});
