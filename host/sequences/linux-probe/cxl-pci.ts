// cxl_pci_probe (drivers/cxl/pci.c, v6.8-v6.12) up to the mailbox: DSN, DVSEC 0, register blocks, capability
// arrays, media ready, mailbox set-up. Each step records what Linux would log and the register behind it.

import { NS_PER_MS, NS_PER_S } from '../../../common/clock.js';
import type { Target } from '../../../common/target.js';
import { hex } from '../../core/bytes.js';
import { MailboxClient, MBOX, type MailboxRegs } from '../../core/mbox.js';
import { DVSEC0, memdevStatusDecode, MEDIA_STATUS, RANGE_LO } from '../../core/memdev.js';
import { CXL_VENDOR_ID, DVSEC, pciFindDvsec, pciIrqVectorCount, pciReadDsn } from '../../core/pci.js';
import {
  barComponentAccess,
  CMCAP,
  componentCapArrayRead,
  componentCapOffset,
  DEVCAP,
  deviceCapArrayRead,
  RBI,
  regLocatorRead,
  type ComponentCapArray,
  type RegBlock,
} from '../../core/regs.js';
import type { SequenceContext } from '../../sequence.js';
import { mailboxEnv, type StepLog } from '../step-log.js';
import { cxlErr, errnoText, probeFailed, type LinuxProbeOptions } from './kernel.js';
import { getKernel } from '../../kernels/index.js';

/** MB Capabilities bit 6 and MB Control bit 2 (CXL 2.0 8.2.8.4.3-4); Linux CXL_PCI_DEFAULT_MAX_VECTORS. */
const MBOX_CAP_BG_IRQ = 1 << 6;
const MBOX_CTRL_BG_IRQ = 1 << 2;
export const CXL_PCI_DEFAULT_MAX_VECTORS = 16;


/** PCI Command register and its enables (PCIe Base 7.5.1.1.3; Linux PCI_COMMAND, _MEMORY, _MASTER). */
const PCI_COMMAND = 0x04;
const PCI_COMMAND_MEMORY = 1 << 1;
const PCI_COMMAND_MASTER = 1 << 2;

export interface EndpointState {
  t: Target;
  node: string;
  serial: bigint;
  /** Config offset of DVSEC 0 (0 when absent). */
  dvsec: number;
  component: { block: RegBlock; array: ComponentCapArray; ras: number | null; hdm: number | null } | null;
  regs: MailboxRegs | null;
  mediaReady: boolean;
  mbox: MailboxClient | null;
  /** Set when the probe returned an error: later steps are not run. */
  failed: boolean;
}

/** Steps of cxl_pci_probe before the mailbox commands. */
export async function cxlPciProbeRegs(ctx: SequenceContext, log: StepLog, t: Target, opt: LinuxProbeOptions): Promise<EndpointState> {
  const n = t.node;
  const s: EndpointState = { t, node: n, serial: 0n, dvsec: 0, component: null, regs: null, mediaReady: false, mbox: null, failed: false };
  const failProbe = (step: string, msg: string, errno: number, evidence: string): EndpointState => {
    log.fail(`${n}: ${step}`, `${msg} — ${probeFailed('cxl_pci', n, errno)}`, evidence);
    s.failed = true;
    return s;
  };

  // 0. pcim_enable_device (Memory Space Enable, the function has memory BARs) then pci_set_master (Bus Master
  //    Enable): PCIe Base 7.5.1.1.3; until MSE is set a function must not decode its BARs.
  const cmd = await t.cfgRead(PCI_COMMAND, 2);
  const want = cmd | PCI_COMMAND_MEMORY | (getKernel(opt.kernel).probe.setMaster.value ? PCI_COMMAND_MASTER : 0);
  if (want !== cmd) await t.cfgWrite(PCI_COMMAND, 2, want);
  // Linux does not read the register back; the model does, for evidence only.
  const cmdAfter = await t.cfgRead(PCI_COMMAND, 2);
  if ((cmdAfter & PCI_COMMAND_MEMORY) === 0) log.warn(`${n}: enable device`, 'Memory Space Enable reads back 0 after pcim_enable_device: BAR accesses may not be decoded', `Command ${hex(cmd, 4)} → ${hex(cmdAfter, 4)}`);
  else log.pass(`${n}: enable device`, 'pcim_enable_device + pci_set_master: Memory Space and Bus Master enabled', `Command ${hex(cmd, 4)} → ${hex(cmdAfter, 4)}`);

  // 1. pci_get_dsn (PCIe Base 7.9.3): serial number; absent reads as 0 with no message.
  const dsn = await pciReadDsn(t);
  s.serial = dsn ?? 0n;
  if (dsn === null) log.info(`${n}: DSN`, 'no Device Serial Number capability; Linux uses serial 0');
  else log.pass(`${n}: DSN`, `serial ${hex(dsn, 16)}`, `DSN = ${hex(dsn, 16)}`);

  // 2. The CXL device DVSEC (ID 0).
  s.dvsec = await pciFindDvsec(t, CXL_VENDOR_ID, DVSEC.cxlDevice);
  if (!s.dvsec) log.warn(`${n}: DVSEC 0`, 'Device DVSEC not present, skip CXL.mem init', 'no DVSEC with vendor 0x1E98 ID 0 in the extended capability list');
  else {
    const cap = await t.cfgRead(s.dvsec + DVSEC0.cap, 2);
    log.pass(`${n}: DVSEC 0`, `PCIe DVSEC for CXL Devices at ${hex(s.dvsec, 3)}`, `CXL Capability = ${hex(cap, 4)}`);
  }

  // 3. cxl_pci_setup_regs(RBI_MEMDEV): Register Locator entry for the memory device registers (mandatory).
  const loc = await regLocatorRead(t);
  if (!loc.dvsec) return failProbe('register locator', 'no Register Locator DVSEC (ID 8): cxl_find_regblock returns -ENODEV', -19, 'Register Locator DVSEC absent');
  const memdevBlock = loc.blocks.find((b) => b.rbi === RBI.memdev);
  const locEvidence = loc.blocks.map((b) => `RBI ${b.rbi} BIR ${b.bar} off ${hex(b.offset)} (lo ${hex(b.lo)})`).join('; ');
  if (!memdevBlock) return failProbe('memdev register block', 'no memory device register block (RBI 3) in the Register Locator', -19, locEvidence || 'no entries');
  log.pass(`${n}: memdev register block`, `BAR${memdevBlock.bar} + ${hex(memdevBlock.offset)}`, locEvidence);

  // 4. cxl_probe_device_regs: ID 0 array, then status / primary mailbox / memdev must all be present.
  const arr = await deviceCapArrayRead(t, memdevBlock.bar, memdevBlock.offset);
  const has = (id: number) => arr.caps.find((c) => c.id === id);
  const missing = [!has(DEVCAP.status) && 'status ', !has(DEVCAP.primaryMailbox) && 'mbox ', !has(DEVCAP.memdev) && 'memdev '].filter(Boolean).join('');
  const arrEvidence = `Capabilities Array = ${hex(arr.raw, 16)} (ID ${arr.capId}, count ${arr.count}); ${arr.caps.map((c) => `ID ${hex(c.id, 4)} @${hex(c.offset)}`).join(', ')}`;
  if (arr.capId !== 0 || missing) return failProbe('device capability array', `registers not found: ${arr.capId !== 0 ? 'status mbox memdev ' : missing}`.trimEnd(), -6, arrEvidence);
  const at = (id: number) => memdevBlock.offset + has(id)!.offset;
  s.regs = { bar: memdevBlock.bar, base: memdevBlock.offset, mbox: at(DEVCAP.primaryMailbox), status: at(DEVCAP.status), memdev: at(DEVCAP.memdev), capArray: arr, block: memdevBlock };
  log.pass(`${n}: device capability array`, `status, mailbox and memdev registers found (${arr.count} capabilities)`, arrEvidence);

  // 5. cxl_pci_setup_regs(RBI_COMPONENT): optional for cxl_pci ("No component registers").
  const compBlock = loc.blocks.find((b) => b.rbi === RBI.component);
  if (!compBlock) log.warn(`${n}: component register block`, 'No component registers (-19)', locEvidence);
  else {
    const ca = await componentCapArrayRead(barComponentAccess(t, compBlock.bar, compBlock.offset));
    const ras = componentCapOffset(ca, CMCAP.ras);
    const hdm = componentCapOffset(ca, CMCAP.hdm);
    s.component = { block: compBlock, array: ca, ras: ras === null ? null : compBlock.offset + ras, hdm: hdm === null ? null : compBlock.offset + hdm };
    const ev = `CXL Capability Header = ${hex(ca.raw)} (ID ${ca.capId}, array size ${ca.arraySize}); ${ca.caps.map((c) => `ID ${c.id} ptr ${hex(c.pointer, 3)}`).join(', ')}`;
    if (ca.capId !== CMCAP.cap) log.warn(`${n}: component capability array`, "Couldn't locate the CXL.cache and CXL.mem capability array header.", ev);
    else if (ras === null) log.warn(`${n}: component capability array`, 'RAS registers not found (CXL RAS error handling unavailable)', ev);
    else log.pass(`${n}: component capability array`, `RAS at ${hex(compBlock.offset + ras)}${hdm !== null ? `, HDM decoders at ${hex(compBlock.offset + hdm)}` : ', no HDM decoder capability'}`, ev);
  }

  // 6. cxl_await_media_ready (core/pci.c): DVSEC ranges valid then active, then media status ready.
  if (!s.dvsec) log.info(`${n}: media ready`, 'skipped: no DVSEC 0 (Linux would read garbage ranges); media treated as not ready');
  else {
    const r = await awaitMediaReady(ctx, t, s.dvsec, s.regs, opt);
    s.mediaReady = r.ok;
    if (r.ok) log.pass(`${n}: media ready`, `${r.ranges} DVSEC range(s) valid and active; media status ready`, r.evidence);
    else log.fail(`${n}: media ready`, `${r.message}; Media not active (${r.errno}) — cxl_pci continues, cxl_mem will refuse the device (-EBUSY)`, r.evidence);
  }

  // 7. cxl_pci_setup_mailbox: read MB Capabilities first (`const int cap = readl(...)`), then wait (100 ms polls)
  //    for Mailbox Interfaces Ready, then doorbell idle, then check the payload size.
  const env = mailboxEnv(ctx);
  const client = await MailboxClient.open(t, s.regs, env);
  const readMd = async () => memdevStatusDecode(await t.barRead64(s.regs!.bar, s.regs!.memdev));
  let md = await readMd();
  const deadline = ctx.clock.now() + opt.mboxReadyTimeoutS * NS_PER_S;
  while (!md.mailboxReady) {
    await ctx.sleep(100 * NS_PER_MS);
    md = await readMd();
    if (ctx.clock.now() > deadline) break;
  }
  const mdEvidence = `Memory Device Status = ${hex(md.raw, 16)} (Mailbox Interfaces Ready=${md.mailboxReady ? 1 : 0}, Media Status=${md.media} ${MEDIA_STATUS[md.media]}, Fatal=${md.fatal ? 1 : 0}, FW Halt=${md.fwHalt ? 1 : 0})`;
  if (!md.mailboxReady) return failProbe('mailbox ready', cxlErr('timeout awaiting mailbox ready', md), -110, `${mdEvidence} after ${opt.mboxReadyTimeoutS} s`);
  log.pass(`${n}: mailbox ready`, 'Mailbox Interfaces Ready', mdEvidence);

  if (!(await client.waitDoorbellIdle())) {
    const ctl = await t.barRead(s.regs.bar, s.regs.mbox + MBOX.ctrl, 4);
    return failProbe('mailbox idle', cxlErr('timeout awaiting mailbox idle', md), -110, `MB Control = ${hex(ctl)} (Doorbell=1 for 2 s)`);
  }
  const capsEv = `MB Capabilities = ${hex(client.capsRaw)} (Payload Size ${client.capsRaw & 0x1f} → ${2 ** (client.capsRaw & 0x1f)} B)`;
  if (client.payloadSize < 256) return failProbe('mailbox payload size', `Mailbox is too small (${client.payloadSize}b)`, -6, capsEv);
  log.pass(`${n}: mailbox set-up`, `doorbell idle; payload ${client.payloadSize} B`, capsEv);

  // Background-command interrupt (optional, end of cxl_pci_setup_mailbox): capable (MB Capabilities bit 6) and a
  // vector for the Interrupt Message Number [10:7] among those cxl_alloc_irq_vectors got (MSI-X or MSI, at most
  // 16) → read-modify-write MB Control, setting Background Command Complete Interrupt enable (bit 2).
  if (getKernel(opt.kernel).probe.mailboxBgIrq.value && client.capsRaw & MBOX_CAP_BG_IRQ) {
    const msgnum = (client.capsRaw >>> 7) & 0xf;
    const vectors = Math.min(CXL_PCI_DEFAULT_MAX_VECTORS, await pciIrqVectorCount(t));
    if (msgnum < vectors) {
      const ctl = await t.barRead(s.regs.bar, s.regs.mbox + MBOX.ctrl, 4);
      await t.barWrite(s.regs.bar, s.regs.mbox + MBOX.ctrl, 4, (ctl | MBOX_CTRL_BG_IRQ) >>> 0);
      log.pass(`${n}: mailbox interrupts`, `background command interrupt enabled (vector ${msgnum} of ${vectors})`, `${capsEv}; MB Control ${hex(ctl)} → ${hex(await t.barRead(s.regs.bar, s.regs.mbox + MBOX.ctrl, 4))}`);
    } else log.info(`${n}: mailbox interrupts`, `message number ${msgnum} has no vector (${vectors} available): background commands are polled`, capsEv);
  }
  s.mbox = client;
  void errnoText;
  return s;
}

interface MediaReady {
  ok: boolean;
  message: string;
  errno: number;
  ranges: number;
  evidence: string;
}

/** cxl_await_media_ready: Memory_Info_Valid read twice 1 s apart, Memory_Active polled 1/s up to the timeout. */
export async function awaitMediaReady(ctx: SequenceContext, t: Target, d: number, regs: MailboxRegs, opt: LinuxProbeOptions): Promise<MediaReady> {
  const cap = await t.cfgRead(d + DVSEC0.cap, 2);
  const hdmCount = (cap >>> 4) & 3;
  const ev: string[] = [`CXL Capability = ${hex(cap, 4)} (HDM_Count=${hdmCount})`];
  for (let i = 0; i < hdmCount; i++) {
    let lo = 0;
    for (let tries = 0; tries < 2; tries++) {
      lo = await t.cfgRead(d + DVSEC0.rangeSizeLo(i), 4);
      if (lo & RANGE_LO.memInfoValid) break;
      await ctx.sleep(NS_PER_S);
    }
    if (!(lo & RANGE_LO.memInfoValid))
      return { ok: false, message: `Timeout awaiting memory range ${i} valid after 1s.`, errno: -110, ranges: i, evidence: `Range ${i + 1} Size Low = ${hex(lo)} (Memory_Info_Valid=0)` };
  }
  for (let i = 0; i < hdmCount; i++) {
    let lo = 0;
    let active = false;
    for (let left = opt.mediaReadyTimeoutS; left > 0; left--) {
      lo = await t.cfgRead(d + DVSEC0.rangeSizeLo(i), 4);
      active = !!(lo & RANGE_LO.memActive);
      if (active) break;
      await ctx.sleep(NS_PER_S);
    }
    if (!active)
      return {
        ok: false,
        message: `timeout awaiting memory active after ${opt.mediaReadyTimeoutS} seconds`,
        errno: -110,
        ranges: i,
        evidence: `Range ${i + 1} Size Low = ${hex(lo)} (Memory_Info_Valid=${lo & 1}, Memory_Active=0) after ${opt.mediaReadyTimeoutS} s`,
      };
    ev.push(`Range ${i + 1} Size Low = ${hex(lo)} (Memory_Info_Valid=1, Memory_Active=1)`);
  }
  const md = memdevStatusDecode(await t.barRead64(regs.bar, regs.memdev));
  ev.push(`Memory Device Status = ${hex(md.raw, 16)} (Media Status=${md.media} ${MEDIA_STATUS[md.media]})`);
  if (md.media !== 1) return { ok: false, message: 'media status not ready (CXLMDEV_READY false)', errno: -5, ranges: hdmCount, evidence: ev.join('; ') };
  return { ok: true, message: '', errno: 0, ranges: hdmCount, evidence: ev.join('; ') };
}
