// Bus walk by BDF over a Platform's ECAM, as firmware scans: function 0 of every device on every bus (root
// buses of host bridges need not start at 0 and are not in the CEDT), functions 1-7 only when function 0 is
// multi-function. 256 × 32 Vendor ID reads at most.

import type { Platform } from '../../common/platform.js';
import { bdf, formatBdf, type Bdf } from '../../common/units.js';

export interface BdfFunction {
  bdf: Bdf;
  text: string;
  vendor: number;
  device: number;
  classCode: number;
  headerType: number;
  /** Bridges: the secondary bus number. */
  secondaryBus: number | null;
}

export async function walkBdfs(p: Platform, maxFunctions = 1024): Promise<BdfFunction[]> {
  const out: BdfFunction[] = [];
  for (let bus = 0; bus < 256 && out.length < maxFunctions; bus++) {
    for (let dev = 0; dev < 32; dev++) {
      for (let fn = 0; fn < 8; fn++) {
        const b = bdf(bus, dev, fn);
        const id = await p.cfgRead(b, 0, 4);
        if ((id & 0xffff) === 0xffff || (id & 0xffff) === 0) {
          if (fn === 0) break;
          continue;
        }
        const hdr = await p.cfgRead(b, 0x0e, 1);
        const cls = (await p.cfgRead(b, 0x08, 4)) >>> 8;
        const type = hdr & 0x7f;
        const secondaryBus = type === 1 ? await p.cfgRead(b, 0x19, 1) : null;
        out.push({ bdf: b, text: formatBdf(b), vendor: id & 0xffff, device: id >>> 16, classCode: cls, headerType: type, secondaryBus });
        if (fn === 0 && !(hdr & 0x80)) break;
      }
    }
  }
  return out;
}
