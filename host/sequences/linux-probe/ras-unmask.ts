// Error-reporting set-up around cxl_pci_probe (Linux v6.8-v6.12): the PCI core's pci_aer_init enables error
// reporting in Device Control when AER is native (drivers/pci/pcie/aer.c, since v6.4), and cxl_pci_ras_unmask
// (drivers/cxl/pci.c, the last step of cxl_pci_probe) then clears the CXL RAS mask bits, so RAS errors are
// recorded and reported (CXL 2.0 8.2.5.9.2 / 8.2.5.9.5: a masked error is not recorded).

import { hex } from '../../core/bytes.js';
import { CAP, EXT_CAP, pciFindCapability, pciFindExtCapability } from '../../core/pci.js';
import type { StepLog } from '../step-log.js';
import type { EndpointState } from './cxl-pci.js';
import type { LinuxProbeOptions } from './kernel.js';
import type { Target } from '../../../common/target.js';

/** PCIe Base 7.5.3.4 Device Control: Correctable / Non-Fatal / Fatal / Unsupported Request Reporting Enable. */
export const DEVCTL = { offset: 0x08, cere: 1 << 0, nfere: 1 << 1, fere: 1 << 2, urre: 1 << 3 } as const;
/** PCIe Base 7.5.3.20 Link Status 2, Flit Mode Status (Linux PCI_EXP_LNKSTA2_FLIT). */
const LNKSTA2 = { offset: 0x32, flit: 1 << 10 } as const;
/** Linux cxl.h: CXL_RAS_UNCORRECTABLE_MASK_MASK (bits 16:14, 11:0), _F256B_MASK (bit 8), CORRECTABLE_MASK_MASK. */
export const RAS_UE_MASK_MASK = 0x1cfff;
export const RAS_UE_MASK_F256B = 1 << 8;
export const RAS_CE_MASK_MASK = 0x7f;
const RAS = { ueMask: 0x04, ceMask: 0x10 } as const;

/** pci_aer_init → pci_enable_pcie_error_reporting: only for functions with an AER capability and native AER. */
export async function pciAerInit(log: StepLog, t: Target, opt: LinuxProbeOptions): Promise<void> {
  const n = t.node;
  if (!opt.nativeAer) return void log.info(`${n}: AER init`, 'firmware owns AER (_OSC): Device Control error reporting left as is');
  const aer = await pciFindExtCapability(t, EXT_CAP.aer);
  const pcie = await pciFindCapability(t, CAP.pcie);
  if (!aer || !pcie) return void log.info(`${n}: AER init`, 'no AER or PCIe capability: error reporting not enabled');
  const before = await t.cfgRead(pcie + DEVCTL.offset, 2);
  const want = before | DEVCTL.cere | DEVCTL.nfere | DEVCTL.fere | DEVCTL.urre;
  if (want !== before) await t.cfgWrite(pcie + DEVCTL.offset, 2, want);
  const after = await t.cfgRead(pcie + DEVCTL.offset, 2);
  log.pass(`${n}: AER init`, 'PCI core enabled correctable, non-fatal, fatal and UR reporting (pci_aer_init)', `Device Control ${hex(before, 4)} → ${hex(after, 4)}`);
}

/** cxl_pci_ras_unmask: clear the RAS mask bits whose PCIe reporting is enabled in Device Control. */
export async function cxlPciRasUnmask(log: StepLog, s: EndpointState, opt: LinuxProbeOptions): Promise<void> {
  const n = s.node;
  const t = s.t;
  const ras = s.component?.ras ?? null;
  if (ras === null || !s.component) return void log.info(`${n}: RAS unmask`, 'No RAS registers.');
  if (!opt.nativeAer) return void log.info(`${n}: RAS unmask`, 'BIOS has PCIe AER error control: RAS masks left as is');
  const pcie = await pciFindCapability(t, CAP.pcie);
  const devctl = pcie ? await t.cfgRead(pcie + DEVCTL.offset, 2) : 0;
  const bar = s.component.block.bar;
  const ev: string[] = [`Device Control = ${hex(devctl, 4)}`];
  if (devctl & DEVCTL.urre) {
    const flit256 = pcie ? ((await t.cfgRead(pcie + LNKSTA2.offset, 2)) & LNKSTA2.flit) !== 0 : false;
    // v6.8-v6.12: in 68B-flit mode bit 8 (REINIT_Threshold) stays masked (it only applies to 256B flits).
    const mask = flit256 ? RAS_UE_MASK_MASK : RAS_UE_MASK_MASK & ~RAS_UE_MASK_F256B;
    const orig = await t.barRead(bar, ras + RAS.ueMask, 4);
    await t.barWrite(bar, ras + RAS.ueMask, 4, (orig & ~mask) >>> 0);
    ev.push(`Uncorrectable RAS Errors Mask: ${hex(orig)} -> ${hex(await t.barRead(bar, ras + RAS.ueMask, 4))}`);
  }
  if (devctl & DEVCTL.cere) {
    const orig = await t.barRead(bar, ras + RAS.ceMask, 4);
    await t.barWrite(bar, ras + RAS.ceMask, 4, (orig & ~RAS_CE_MASK_MASK) >>> 0);
    ev.push(`Correctable RAS Errors Mask: ${hex(orig)} -> ${hex(await t.barRead(bar, ras + RAS.ceMask, 4))}`);
  }
  if (!(devctl & (DEVCTL.urre | DEVCTL.cere))) log.info(`${n}: RAS unmask`, 'Device Control reports no UR / correctable errors: RAS masks left as is', ev.join('; '));
  else log.pass(`${n}: RAS unmask`, 'RAS error reporting unmasked (cxl_pci_ras_unmask)', ev.join('; '));
}
