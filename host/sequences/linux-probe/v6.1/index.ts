// linux-probe under the 6.1 profile: cxl_acpi host bridges and cxl_port for switch ports (dport walk, HDM
// decoders where a port has more than one dport), then per endpoint cxl_pci_probe (cxl-pci.ts) and the
// endpoint cxl_port probe (cxl-port.ts), in Linux 6.1's order.

import type { Platform } from '../../../../common/platform.js';
import type { Target } from '../../../../common/target.js';
import { cedtParse } from '../../../core/cedt.js';
import { CAP, pciFindCapability } from '../../../core/pci.js';
import type { KernelProfile } from '../../../kernels/types.js';
import type { SequenceContext } from '../../../sequence.js';
import { cancelled, type StepLog } from '../../step-log.js';
import type { LinuxProbeOptions } from '../kernel.js';
import { cxlPciProbe61 } from './cxl-pci.js';
import { endpointPortProbe61, enumerateDecoders61, setupHdm61, type Rw32 } from './cxl-port.js';
import { findRegblock } from './linux-pci.js';
import { readLabels61 } from './labels.js';

export interface Probe61Endpoint {
  node: string;
  cxlPci: boolean;
  cxlMem: boolean;
}

/** match_add_dports: Link Capabilities, then the dport's component register block. */
async function addDport(t: Target): Promise<void> {
  const pcie = await pciFindCapability(t, CAP.pcie);
  if (pcie) await t.cfgRead(pcie + 0x0c, 4);
  await findRegblock(t, 1);
}

async function portDecoders(ctx: SequenceContext, log: StepLog, name: string, regs: Rw32, k: KernelProfile): Promise<void> {
  const h = await setupHdm61(regs);
  if ('error' in h) return void log.fail(`${name}: HDM decoders`, `${h.error} — cxl_port probe fails (-6)`);
  const d = await enumerateDecoders61(ctx, regs, h.hdm, h.count, false, k);
  if (!d.ok) log.fail(`${name}: decoders`, `${d.message}; Couldn't enumerate decoders`);
  else log.pass(`${name}: decoders`, d.message);
}

export async function linuxProbe61(ctx: SequenceContext, log: StepLog, k: KernelProfile, opt: LinuxProbeOptions, all: readonly Target[], endpoints: readonly Target[], ports: ReadonlyMap<string, string>): Promise<Probe61Endpoint[]> {
  const platform: Platform | null = ctx.platform;
  // cxl_acpi → cxl_port for each host bridge: dports are its root ports; one dport → passthrough decoder.
  if (platform) {
    const cedt = cedtParse(platform.cedt());
    for (const [i, hb] of cedt.chbs.entries()) {
      const name = `hb${i}`;
      const rps = all.filter((t) => t.node.startsWith(`${name}.rp`) && t.node.split('.').length === 2);
      for (const rp of rps) await addDport(rp);
      if (rps.length === 1) {
        log.pass(`cxl_acpi: ${name}`, 'one root port: passthrough decoder (no HDM decoder access)');
        continue;
      }
      const regs: Rw32 = {
        read32: (o) => platform.mmioRead(hb.base + o, 4),
        write32: (o, v) => platform.mmioWrite(hb.base + o, 4, v >>> 0),
        // Platform MMIO is at most 32 bits wide: the 64-bit read is issued as its two halves.
        read64: async (o) => BigInt(await platform.mmioRead(hb.base + o, 4)) | (BigInt(await platform.mmioRead(hb.base + o + 4, 4)) << 32n),
      };
      await portDecoders(ctx, log, `cxl_acpi: ${name}`, regs, k);
    }
  }
  // Switch upstream ports: component registers, dports, decoders when more than one dport.
  for (const t of all) {
    if (ports.get(t.node) !== 'switch-usp') continue;
    const comp = await findRegblock(t, 1);
    const prefix = t.node.replace(/\.usp$/, '.dsp');
    const dsps = all.filter((x) => x.node.startsWith(prefix) && x.node.split('.').length === t.node.split('.').length);
    for (const d of dsps) await addDport(d);
    if (dsps.length === 1) log.pass(`${t.node}: HDM decoders`, 'one downstream port: passthrough decoder');
    else if (!comp.block) log.fail(`${t.node}: HDM decoders`, 'No component registers mapped — cxl_port probe fails (-6)');
    else {
      const b = comp.block;
      await portDecoders(ctx, log, t.node, { read32: (o) => t.barRead(b.bar, b.offset + o, 4), write32: (o, v) => t.barWrite(b.bar, b.offset + o, 4, v >>> 0), read64: (o) => t.barRead64(b.bar, b.offset + o) }, k);
    }
  }

  const out: Probe61Endpoint[] = [];
  for (const [i, t] of endpoints.entries()) {
    if (cancelled(ctx)) break;
    ctx.progress(i, endpoints.length, `probe ${t.node}`);
    let pci = false;
    let mem = false;
    try {
      const e = await cxlPciProbe61(ctx, log, t, k, opt);
      pci = !e.failed;
      if (pci) mem = await endpointPortProbe61(ctx, log, e, k, opt);
      // cxl_pmem → nvdimm → nd_label_data_init: after the endpoint port in a real 6.1 boot.
      if (pci && e.pmemBytes > 0 && e.identify) await readLabels61(log, e, e.identify, k, opt);
    } catch (err) {
      log.fail(`${t.node}: link`, `access failed: ${(err as Error).message}; Linux would see all-ones and fail the probe`, (err as Error).name);
    }
    out.push({ node: t.node, cxlPci: pci, cxlMem: mem });
  }
  return out;
}
