// Host-side walkers written from the specs (not from the emulator's tables), so tests check what a driver sees.

import type { FunctionModel } from '../../../common/function-model.js';

/** PCI capability list from 0x34 (PCIe Base 7.5.1.1.11): [offset, id][]. */
export function walkCaps(fn: FunctionModel): [number, number][] {
  const out: [number, number][] = [];
  let at = fn.cfgRead(0x34, 1) & 0xfc;
  for (let guard = 0; at !== 0 && guard < 48; guard++) {
    out.push([at, fn.cfgRead(at, 1)]);
    at = fn.cfgRead(at + 1, 1) & 0xfc;
  }
  return out;
}

/** Extended capability list from 0x100 (PCIe Base 7.6.3): [offset, id][]. */
export function walkExtCaps(fn: FunctionModel): [number, number][] {
  const out: [number, number][] = [];
  let at = 0x100;
  for (let guard = 0; at !== 0 && guard < 64; guard++) {
    const h = fn.cfgRead(at, 4);
    if (h === 0 || h === 0xffff_ffff) break;
    out.push([at, h & 0xffff]);
    at = (h >>> 20) & 0xffc;
  }
  return out;
}

/** CXL DVSECs: [offset, dvsec id, revision, length][] (vendor 0x1E98 only). */
export function walkDvsecs(fn: FunctionModel): [number, number, number, number][] {
  return walkExtCaps(fn)
    .filter(([, id]) => id === 0x23)
    .map(([at]) => [at, fn.cfgRead(at + 4, 4), fn.cfgRead(at + 8, 2)] as const)
    .filter(([, h1]) => (h1 & 0xffff) === 0x1e98)
    .map(([at, h1, id]) => [at, id, (h1 >>> 16) & 0xf, h1 >>> 20]);
}

export function findDvsec(fn: FunctionModel, id: number): number {
  const d = walkDvsecs(fn).find((x) => x[1] === id);
  return d ? d[0] : -1;
}
