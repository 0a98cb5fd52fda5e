// Bus walk by BDF over a Platform's ECAM, as firmware and the kernel's PCI core scan: every device 0-31 on a
// bus, functions 1-7 only when function 0 is multi-function, and the secondary bus of each bridge.

import type { Platform } from '../../common/platform.js';
import { bdf, formatBdf, type Bdf } from '../../common/units.js';

export interface BdfFunction {
  bdf: Bdf;
  text: string;
  vendor: number;
  device: number;
  classCode: number;
  headerType: number;
  secondaryBus: number | null;
}

export async function walkBdfs(p: Platform, rootBus = 0, maxFunctions = 256): Promise<BdfFunction[]> {
  const out: BdfFunction[] = [];
  const buses = [rootBus];
  const seen = new Set<number>();
  while (buses.length && out.length < maxFunctions) {
    const bus = buses.shift()!;
    if (seen.has(bus)) continue;
    seen.add(bus);
    for (let dev = 0; dev < 32; dev++) {
      for (let fn = 0; fn < 8; fn++) {
        const b = bdf(bus, dev, fn);
        const id = await p.cfgRead(b, 0, 4);
        if ((id & 0xffff) === 0xffff) {
          if (fn === 0) break;
          continue;
        }
        const hdr = await p.cfgRead(b, 0x0e, 1);
        const cls = (await p.cfgRead(b, 0x08, 4)) >>> 8;
        const type = hdr & 0x7f;
        let secondaryBus: number | null = null;
        if (type === 1) {
          secondaryBus = await p.cfgRead(b, 0x19, 1);
          if (secondaryBus > bus && secondaryBus !== 0xff) buses.push(secondaryBus);
        }
        out.push({ bdf: b, text: formatBdf(b), vendor: id & 0xffff, device: id >>> 16, classCode: cls, headerType: type, secondaryBus });
        if (fn === 0 && !(hdr & 0x80)) break;
      }
    }
  }
  return out;
}
