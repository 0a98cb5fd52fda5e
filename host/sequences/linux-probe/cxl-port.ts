// The port side of the probe: cxl_acpi (CEDT, host bridges, root decoders) and cxl_port for switch ports
// (drivers/cxl/acpi.c, port.c, core/pci.c; v6.8-v6.12).

import type { Platform } from '../../../common/platform.js';
import type { Target } from '../../../common/target.js';
import { hex } from '../../core/bytes.js';
import { cedtParse } from '../../core/cedt.js';
import { HDM, hdmCapsDecode, hdmReadDecoder, type HdmAt } from '../../core/hdm.js';
import { CXL_VENDOR_ID, DVSEC, pciDvsecs } from '../../core/pci.js';
import { barComponentAccess, CMCAP, componentCapArrayRead, componentCapOffset, RBI, regLocatorRead, type ComponentAccess } from '../../core/regs.js';
import type { StepLog } from '../step-log.js';
import { probeFailed } from './kernel.js';

export const mmioComponentAccess = (p: Platform, base: number): ComponentAccess => ({
  read32: (o) => p.mmioRead(base + o, 4),
  write32: (o, v) => p.mmioWrite(base + o, 4, v),
});

/** cxl_acpi: CEDT → CHBS (host bridge component registers) and CFMWS (root decoders). */
export async function cxlAcpiProbe(log: StepLog, p: Platform, targets: readonly Target[]): Promise<void> {
  const cedt = cedtParse(p.cedt());
  if (!cedt.ok) return void log.fail('cxl_acpi: CEDT', `CEDT unusable: ${cedt.error}`, `${p.cedt().length} B`);
  log.pass('cxl_acpi: CEDT', `${cedt.chbs.length} CHBS, ${cedt.cfmws.length} CFMWS`);
  const uids = new Set(cedt.chbs.map((c) => c.uid));
  for (const w of cedt.cfmws) {
    const range = `${hex(w.base, 12)}-${hex(w.base + w.size - 1, 12)}`;
    // cxl_acpi_cfmws_verify's checks and messages, in its order (host/core/cedt.ts): arithmetic, 256 MB base and
    // size alignment, ways encoding, record length. Linux does not require the size to be a multiple of ways ×
    // 256 MB here.
    const problems: string[] = w.error ? [w.error] : [];
    const unknown = w.targets.filter((u) => !uids.has(u));
    if (unknown.length) problems.push(`CFMWS target UID(s) ${unknown.join(', ')} have no CHBS`);
    const ev = `base ${hex(w.base, 12)} size ${hex(w.size, 12)} ENIW ${w.eniw} HBIG ${w.hbig} restrictions ${hex(w.restrictions, 4)} targets [${w.targets.join(', ')}]`;
    if (problems.length) log.fail(`cxl_acpi: CFMWS${w.index}`, `${problems.join('; ')}; CFMWS range ${range} not registered`, ev);
    else log.pass(`cxl_acpi: CFMWS${w.index}`, `root decoder ${range}, ${w.ways}-way × ${w.granularity} B`, ev);
  }
  for (const [i, hb] of cedt.chbs.entries()) {
    const name = `hb${i}`;
    const rps = targets.filter((t) => t.node.startsWith(`${name}.rp`) && t.node.split('.').length === 2);
    if (hb.cxlVersion !== 1) {
      log.warn(`cxl_acpi: ${name}`, `CHBS UID ${hb.uid} is CXL ${hb.cxlVersion === 0 ? '1.1 (RCRB)' : `version ${hb.cxlVersion}`}: not modelled`, `CHBS base ${hex(hb.base, 12)} length ${hex(hb.length)}`);
      continue;
    }
    const acc = mmioComponentAccess(p, hb.base);
    const arr = await componentCapArrayRead(acc);
    const hdm = componentCapOffset(arr, CMCAP.hdm);
    const ev = `CHBS UID ${hb.uid} CHBCR ${hex(hb.base, 12)}; CXL Capability Header = ${hex(arr.raw)}`;
    if (hdm === null) {
      if (rps.length === 1) log.pass(`cxl_acpi: ${name}`, 'one root port and no HDM decoder capability: Fallback to passthrough decoder', ev);
      else log.fail(`cxl_acpi: ${name}`, `HDM decoder capability not found (${rps.length} root ports) — ${probeFailed('cxl_port', name, -6)}`, ev);
      continue;
    }
    const caps = hdmCapsDecode(await acc.read32(hdm));
    if (caps.decoderCount === 0) log.fail(`cxl_acpi: ${name}`, 'Spec violation. Caps invalid', `${ev}; HDM cap ${hex(caps.raw)}`);
    else log.pass(`cxl_acpi: ${name}`, `${rps.length} root port(s), ${caps.decoderCount} HDM decoder(s), target count ${caps.targetCount}`, `${ev}; HDM cap ${hex(caps.raw)}`);
  }
}

/** cxl_port for root ports, switch ports: DVSECs, component registers, HDM decoders (switch upstream ports). */
export async function cxlPortProbe(log: StepLog, t: Target, kind: string, dports: number): Promise<void> {
  const n = t.node;
  const dvsecs = (await pciDvsecs(t)).filter((d) => d.vendor === CXL_VENDOR_ID);
  const ids = dvsecs.map((d) => d.id);
  const wanted = kind === 'switch-usp' ? [DVSEC.flexBusPort, DVSEC.registerLocator] : [DVSEC.portExtensions, DVSEC.gpfPort, DVSEC.flexBusPort, DVSEC.registerLocator];
  const missing = wanted.filter((id) => !ids.includes(id));
  const ev = dvsecs.map((d) => `DVSEC ${d.id} @${hex(d.offset, 3)} rev ${d.revision} len ${hex(d.length, 2)}`).join('; ');
  if (missing.length) log.warn(`${n}: port DVSECs`, `missing DVSEC ID(s) ${missing.join(', ')} for a ${kind}`, ev || 'no CXL DVSECs');
  else log.pass(`${n}: port DVSECs`, `${kind}: DVSECs ${ids.join(', ')}`, ev);
  const loc = await regLocatorRead(t);
  const comp = loc.blocks.find((b) => b.rbi === RBI.component);
  if (!comp) return void log.warn(`${n}: component registers`, kind === 'switch-usp' ? 'Failed to map HDM decoder capability (no component registers)' : 'no component registers for this dport', `Register Locator at ${hex(loc.dvsec, 3)}`);
  const acc = barComponentAccess(t, comp.bar, comp.offset);
  const arr = await componentCapArrayRead(acc);
  const hdm = componentCapOffset(arr, CMCAP.hdm);
  const aev = `BAR${comp.bar}+${hex(comp.offset)}; CXL Capability Header = ${hex(arr.raw)}`;
  if (kind !== 'switch-usp') return void log.pass(`${n}: component registers`, `component block at BAR${comp.bar}+${hex(comp.offset)}`, aev);
  if (hdm === null) {
    if (dports === 1) log.pass(`${n}: HDM decoders`, 'Fallback to passthrough decoder (one downstream port)', aev);
    else log.fail(`${n}: HDM decoders`, `HDM decoder capability not found — ${probeFailed('cxl_port', n, -6)}`, aev);
    return;
  }
  const h: HdmAt = { regs: acc, base: hdm };
  const caps = hdmCapsDecode(await acc.read32(hdm + HDM.cap));
  if (caps.decoderCount === 0) return void log.fail(`${n}: HDM decoders`, 'Spec violation. Caps invalid', `HDM cap ${hex(caps.raw)}`);
  const committed: string[] = [];
  for (let i = 0; i < caps.decoderCount; i++) {
    const d = await hdmReadDecoder(h, i);
    if (d.committed) committed.push(`decoder ${i} ${hex(d.base)}+${hex(d.size)} ×${d.ways}`);
  }
  log.pass(`${n}: HDM decoders`, `${caps.decoderCount} decoder(s), target count ${caps.targetCount}, ${committed.length} committed`, `HDM cap ${hex(caps.raw)}; ${committed.join('; ')}`);
}
