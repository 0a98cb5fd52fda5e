// Discovery of one function's register structures: everything `enumerate` reports and the Layout it builds
// (common/layout.ts). Pure reads; nothing is written.

import type { NodeKind, NodeLayout, PlacedBlock } from '../../common/layout.js';
import type { Target } from '../../common/target.js';
import { barRegion } from '../../common/access.js';
import { BLOCK_ID, CAP_BLOCK_ID, CMCAP_BLOCK_ID, DEVCAP_BLOCK_ID, DVSEC_BLOCK_ID, EXT_CAP_BLOCK_ID } from './block-ids.js';
import { hdmDecoderCount } from './hdm.js';
import {
  CXL_MEMORY_CLASS,
  CXL_VENDOR_ID,
  pciCapabilities,
  pciDvsecs,
  pciExtCapabilities,
  pciePortType,
  pciReadIds,
  type CapEntry,
  type DvsecEntry,
  type ExtCapEntry,
  type PciIds,
} from './pci.js';
import {
  barComponentAccess,
  CMCAP,
  componentCapArrayRead,
  CXL_CM_OFFSET,
  deviceCapArrayRead,
  RBI,
  regLocatorRead,
  type ComponentCapArray,
  type DeviceCapArray,
  type RegisterLocator,
} from './regs.js';

export interface DiscoveredFunction {
  node: string;
  present: boolean;
  ids: PciIds;
  kind: NodeKind | null;
  portType: number | null;
  caps: CapEntry[];
  extCaps: ExtCapEntry[];
  dvsecs: DvsecEntry[];
  regLocator: RegisterLocator;
  component: { bar: number; base: number; array: ComponentCapArray } | null;
  device: { bar: number; base: number; array: DeviceCapArray } | null;
  layout: NodeLayout;
}

const KIND_BY_PORT_TYPE: Readonly<Record<number, NodeKind>> = { 0x4: 'root-port', 0x5: 'switch-usp', 0x6: 'switch-dsp' };

export async function discoverFunction(t: Target): Promise<DiscoveredFunction> {
  const ids = await pciReadIds(t);
  const present = ids.vendor !== 0xffff;
  const caps = present ? await pciCapabilities(t) : [];
  const extCaps = present ? await pciExtCapabilities(t) : [];
  const dvsecs = present ? await pciDvsecs(t) : [];
  const portType = present ? await pciePortType(t) : null;
  const kind: NodeKind | null =
    portType !== null && KIND_BY_PORT_TYPE[portType] ? KIND_BY_PORT_TYPE[portType]! : ids.classCode === CXL_MEMORY_CLASS || ids.headerType === 0 ? 'type3' : null;
  const regLocator = present ? await regLocatorRead(t) : { dvsec: 0, length: 0, revision: 0, blocks: [] };

  const blocks: PlacedBlock[] = [{ region: 'cfg', base: 0, block: ids.headerType === 1 ? BLOCK_ID.type1Header : BLOCK_ID.type0Header }];
  for (const c of caps) if (CAP_BLOCK_ID[c.id]) blocks.push({ region: 'cfg', base: c.offset, block: CAP_BLOCK_ID[c.id]! });
  for (const c of extCaps) if (EXT_CAP_BLOCK_ID[c.id]) blocks.push({ region: 'cfg', base: c.offset, block: EXT_CAP_BLOCK_ID[c.id]! });
  for (const d of dvsecs) {
    if (d.vendor !== CXL_VENDOR_ID || !DVSEC_BLOCK_ID[d.id]) continue;
    const params: Record<string, number> = { revision: d.revision };
    if (d.offset === regLocator.dvsec) {
      params.count = regLocator.blocks.length;
      regLocator.blocks.forEach((b, i) => Object.assign(params, { [`bir${i}`]: b.bar, [`rbi${i}`]: b.rbi, [`offset${i}`]: b.offset }));
    }
    blocks.push({ region: 'cfg', base: d.offset, block: DVSEC_BLOCK_ID[d.id]!, params });
  }

  let component: DiscoveredFunction['component'] = null;
  let device: DiscoveredFunction['device'] = null;
  for (const b of regLocator.blocks) {
    if (b.rbi === RBI.component && !component) {
      const array = await componentCapArrayRead(barComponentAccess(t, b.bar, b.offset));
      component = { bar: b.bar, base: b.offset, array };
      const region = barRegion(b.bar);
      const params: Record<string, number> = { count: array.arraySize };
      array.caps.forEach((c, i) => Object.assign(params, { [`id${i + 1}`]: c.id, [`ver${i + 1}`]: c.version, [`ptr${i + 1}`]: c.pointer }));
      blocks.push({ region, base: b.offset + CXL_CM_OFFSET, block: BLOCK_ID.componentCapArray, params });
      for (const c of array.caps) {
        const id = CMCAP_BLOCK_ID[c.id];
        if (!id) continue;
        const base = b.offset + CXL_CM_OFFSET + c.pointer;
        if (c.id === CMCAP.hdm) {
          const cap = await t.barRead(b.bar, base, 4);
          blocks.push({ region, base, block: id, params: { decoders: hdmDecoderCount(cap & 0xf), endpoint: kind === 'type3' ? 1 : 0 } });
        } else blocks.push({ region, base, block: id });
      }
    } else if (b.rbi === RBI.memdev && !device) {
      const array = await deviceCapArrayRead(t, b.bar, b.offset);
      device = { bar: b.bar, base: b.offset, array };
      const region = barRegion(b.bar);
      const params: Record<string, number> = { count: array.count, type: array.type };
      array.caps.forEach((c, i) => Object.assign(params, { [`id${i + 1}`]: c.id, [`ver${i + 1}`]: c.version, [`off${i + 1}`]: c.offset, [`len${i + 1}`]: c.length }));
      blocks.push({ region, base: b.offset, block: BLOCK_ID.deviceCapArray, params });
      for (const c of array.caps) {
        const id = DEVCAP_BLOCK_ID[c.id];
        if (!id) continue;
        if (c.id === 2) {
          const caps = await t.barRead(b.bar, b.offset + c.offset, 4);
          blocks.push({ region, base: b.offset + c.offset, block: id, params: { payloadLog2: caps & 0x1f } });
          blocks.push({ region, base: b.offset + c.offset + 0x20, block: BLOCK_ID.mailboxPayload, params: { payloadLog2: caps & 0x1f } });
        } else if (c.id === 1) blocks.push({ region, base: b.offset + c.offset, block: id, params: { version: c.version } });
        else blocks.push({ region, base: b.offset + c.offset, block: id, params: {} });
      }
    }
  }
  return {
    node: t.node,
    present,
    ids,
    kind,
    portType,
    caps,
    extCaps,
    dvsecs,
    regLocator,
    component,
    device,
    layout: { node: t.node, kind: kind ?? 'type3', blocks },
  };
}
