// The topology picture and the HPA map (issue 15).
import { expect, it } from 'vitest';
import { BOX_W, landing, layoutDiagram, sizeOf, windowsOf } from '../../renderer/src/lib/topology-diagram.js';

const n = (path: string, kind: 'host-bridge' | 'root-port' | 'type3' | 'switch-usp' | 'switch-dsp') => ({ path, kind, backend: 'emulated' });

it('a parent sits centred over its children; one row per level', () => {
  const d = layoutDiagram([n('hb0', 'host-bridge'), n('hb0.rp0', 'root-port'), n('hb0.rp1', 'root-port'), n('hb0.rp0.ep0', 'type3'), n('hb0.rp1.ep0', 'type3')]);
  const at = (p: string) => d.nodes.find((x) => x.node.path === p)!;
  expect(at('hb0').x).toBe((at('hb0.rp0').x + at('hb0.rp1').x) / 2);
  expect(at('hb0.rp0.ep0').y).toBeGreaterThan(at('hb0.rp0').y);
  expect(at('hb0.rp1.ep0').x).toBeGreaterThanOrEqual(at('hb0.rp0.ep0').x + BOX_W);
  expect(d.links).toHaveLength(4);
});

it('windows from a topology file; an address lands on its interleave target', () => {
  expect(sizeOf('4GiB')).toBe(4 * 2 ** 30);
  expect(sizeOf('0x1000000000')).toBe(2 ** 36);
  const w = windowsOf(JSON.stringify({ windows: [{ base: '0x1000000000', size: '4GiB', targets: [0, 1], granularity: 256 }] }));
  expect(w).toEqual([{ base: 2 ** 36, size: 4 * 2 ** 30, targets: [0, 1], granularity: 256 }]);
  expect(landing(w, 2 ** 36 + 0x100)).toMatchObject({ window: 0, target: 1, hostBridgeUid: 1 });
  expect(landing(w, 2 ** 36 + 0x200)).toMatchObject({ target: 0 });
  expect(landing(w, 0x1000).window).toBe(-1);
});
