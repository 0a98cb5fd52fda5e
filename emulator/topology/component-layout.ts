// Where each CXL.cache/mem capability sits inside a port's or host bridge's component register block
// (CXL 2.0 8.2.4: cache/mem registers at +0x1000; 8.2.5 capability array first). Offsets follow QEMU's fixed
// layout (reference qemu-cxl.md 2) so traces of our ports line up with QEMU's: RAS 0x80, Link 0xD8, HDM 0x128.

import { CACHEMEM_OFFSET, CM_CAP_ID } from '../cxl/component-regs.js';
import { CACHEMEM_RULES } from '../regs/access-rules.js';
import type { FunctionAssembly } from '../device/function-assembly.js';
import type { Region } from '../../common/access.js';
import type { RegisterBlock } from '../regs/register-block.js';
import { HDM_BLOCK_ID } from '../hdm/hdm-decl.js';

export const COMPONENT_BLOCK_BYTES = 0x10000;
export const RAS_AT = 0x080;
export const LINK_AT = 0x0d8;
export const HDM_AT = 0x128;

export interface ComponentCaps {
  ras: boolean;
  link: boolean;
  /** HDM decoders (0 = no HDM capability). */
  hdmDecoders: number;
  targetCount: number;
}

/** Put the capability array and the structures into `region` of `asm`; returns the HDM block if any. */
export function addComponentRegisters(asm: FunctionAssembly, region: Region, caps: ComponentCaps): RegisterBlock | undefined {
  asm.space(region, COMPONENT_BLOCK_BYTES, CACHEMEM_RULES);
  const entries = [
    ...(caps.ras ? [{ id: CM_CAP_ID.ras, ver: 2, ptr: RAS_AT }] : []),
    ...(caps.link ? [{ id: CM_CAP_ID.link, ver: 2, ptr: LINK_AT }] : []),
    ...(caps.hdmDecoders > 0 ? [{ id: CM_CAP_ID.hdm, ver: 1, ptr: HDM_AT }] : []),
  ];
  const params: Record<string, number> = { count: entries.length };
  entries.forEach((e, i) => Object.assign(params, { [`id${i + 1}`]: e.id, [`ver${i + 1}`]: e.ver, [`ptr${i + 1}`]: e.ptr }));
  asm.add(region, CACHEMEM_OFFSET, 'cxl-cm-cap-array', params, CACHEMEM_RULES);
  if (caps.ras) asm.add(region, CACHEMEM_OFFSET + RAS_AT, 'cxl-ras', {}, CACHEMEM_RULES);
  if (caps.link) asm.add(region, CACHEMEM_OFFSET + LINK_AT, 'cxl-link', { version: 2 }, CACHEMEM_RULES);
  if (caps.hdmDecoders === 0) return undefined;
  return asm.add(region, CACHEMEM_OFFSET + HDM_AT, HDM_BLOCK_ID, { decoders: caps.hdmDecoders, endpoint: 0, targetCount: caps.targetCount }, CACHEMEM_RULES);
}
