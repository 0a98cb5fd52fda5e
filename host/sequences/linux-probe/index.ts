// `linux-probe`: replay the Linux CXL probe over every function of the run under one kernel profile
// (host/kernels: 6.1, 6.12, mainline; see README.md): cxl_acpi when there is a platform, cxl_port for ports,
// cxl_pci → cxl_mem for each Type 3 endpoint. Each step's verdict says what that Linux would log, which register
// value caused it, and names the kernel version whose rule it applied.

import type { Target } from '../../../common/target.js';
import { CXL_MEMORY_CLASS, pciePortType, pciReadIds } from '../../core/pci.js';
import type { Sequence, SequenceContext, SequenceResult } from '../../sequence.js';
import { cancelled, StepLog, targetsInOrder } from '../step-log.js';
import { cxlMemProbe } from './cxl-mem.js';
import { cxlPciProbeRegs } from './cxl-pci.js';
import { cxlAcpiProbe, cxlPortProbe } from './cxl-port.js';
import { DEFAULT_PROBE_OPTIONS, type LinuxProbeOptions } from './kernel.js';
import { cxlProbeCommands } from './mem-commands.js';
import { cxlPciRasUnmask, pciAerInit } from './ras-unmask.js';
import { getKernel, ruleCite } from '../../kernels/index.js';
import { linuxProbe61 } from './v6.1/index.js';

export { DEFAULT_PROBE_OPTIONS, type LinuxProbeOptions } from './kernel.js';

export interface LinuxProbeResult extends SequenceResult {
  /** Per endpoint: did cxl_pci and cxl_mem bind? */
  endpoints: Array<{ node: string; cxlPci: boolean; cxlMem: boolean }>;
}

const PORT_KIND: Readonly<Record<number, string>> = { 4: 'root-port', 5: 'switch-usp', 6: 'switch-dsp' };

export async function linuxProbeRun(ctx: SequenceContext, options: Partial<LinuxProbeOptions> = {}): Promise<LinuxProbeResult> {
  const opt = { ...DEFAULT_PROBE_OPTIONS, ...(ctx.kernel ? { kernel: ctx.kernel } : {}), ...options };
  const k = getKernel(opt.kernel);
  const log = new StepLog(ctx, 'linux-probe', `Linux ${k.id}`);
  const all = targetsInOrder(ctx);
  const v61 = k.probe.flow.value === 'v6.1';
  if (ctx.platform && !v61) await cxlAcpiProbe(log, ctx.platform, all);
  const portKinds = new Map<string, string>();

  const endpoints: Target[] = [];
  for (const t of all) {
    if (cancelled(ctx)) break;
    const ids = await pciReadIds(t);
    if (ids.vendor === 0xffff) {
      log.warn(`${t.node}: present`, 'function does not answer config reads (Vendor ID 0xFFFF)');
      continue;
    }
    const pt = await pciePortType(t);
    const kind = pt !== null ? PORT_KIND[pt] : undefined;
    if (kind) portKinds.set(t.node, kind);
    if (kind && v61) continue;
    if (kind) {
      const prefix = t.node.replace(/\.usp$/, '.dsp');
      const dports = all.filter((x) => x.node.startsWith(prefix) && x.node.split('.').length === t.node.split('.').length).length;
      await cxlPortProbe(log, t, kind, dports);
    } else if (ids.classCode === CXL_MEMORY_CLASS) endpoints.push(t);
    else log.info(`${t.node}: class`, `class code ${ids.classCode.toString(16).padStart(6, '0')} is not a CXL memory device (050210h): cxl_pci does not bind`);
  }

  if (v61) {
    const results = await linuxProbe61(ctx, log, k, opt, all, endpoints, portKinds);
    ctx.progress(endpoints.length, endpoints.length, 'probe done');
    const bound = results.filter((r) => r.cxlMem).length;
    return { summary: log.summary(`${bound}/${results.length} memdev(s) usable (Linux ${k.id})`), endpoints: results };
  }

  const results: LinuxProbeResult['endpoints'] = [];
  for (const [i, t] of endpoints.entries()) {
    if (cancelled(ctx)) break;
    ctx.progress(i, endpoints.length, `probe ${t.node}`);
    let pciOk = false;
    let memOk = false;
    try {
      if (k.probe.aerInitByCore.value) await pciAerInit(log, t, opt);
      const s = await cxlPciProbeRegs(ctx, log, t, opt);
      pciOk = !s.failed && s.mbox !== null;
      if (pciOk && s.mbox) {
        const info = await cxlProbeCommands(ctx, log, s.mbox, opt);
        pciOk = !info.failed;
        if (pciOk && k.probe.rasUnmask.value === 'cxl_pci') await cxlPciRasUnmask(log, s, opt);
        else if (pciOk) log.info(`${t.node}: RAS unmask`, `not done at cxl_pci probe (${ruleCite(k, k.probe.rasUnmask)})`);
        if (pciOk) memOk = await cxlMemProbe(ctx, log, s, info, opt);
      }
    } catch (err) {
      // A hardware link fault (common/target.ts LinkFault): the device stopped answering mid-probe.
      log.fail(`${t.node}: link`, `access failed: ${(err as Error).message}; Linux would see all-ones and fail the probe`, (err as Error).name);
      pciOk = false;
    }
    results.push({ node: t.node, cxlPci: pciOk, cxlMem: memOk });
  }
  ctx.progress(endpoints.length, endpoints.length, 'probe done');
  const bound = results.filter((r) => r.cxlMem).length;
  return { summary: log.summary(`${bound}/${results.length} memdev(s) usable (Linux ${k.id})`), endpoints: results };
}

export const linuxProbeSequence: Sequence = {
  id: 'linux-probe',
  title: 'Linux probe',
  description: 'Replay cxl_acpi → cxl_pci → cxl_port/cxl_mem under a kernel profile (6.1, 6.12, mainline) with that kernel’s order, checks, timeouts and messages.',
  run: (ctx: SequenceContext) => linuxProbeRun(ctx),
};
