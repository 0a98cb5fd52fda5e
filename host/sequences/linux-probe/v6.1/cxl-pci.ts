// cxl_pci_probe as Linux 6.1 runs it (drivers/cxl/pci.c, Debian 6.1.192): enable, DSN, DVSEC 0, memdev and
// component register blocks (the component block needs an HDM decoder capability), DOE mailboxes with
// Discovery, mailbox set-up, CEL, Identify, partition info, then — for a device with persistent capacity — the
// nvdimm label read. No bus mastering, interrupts, timestamp, events or RAS unmask in this version.

import { NS_PER_MS } from '../../../../common/clock.js';
import type { Target } from '../../../../common/target.js';
import type { KernelProfile } from '../../../kernels/types.js';
import { ruleCite } from '../../../kernels/types.js';
import { hex } from '../../../core/bytes.js';
import { CEL_UUID, decodeCel, decodeIdentifyMemdev, decodePartitionInfo, decodeSupportedLogs, encodeGetLog, encodeGetLsa, type IdentifyMemdev } from '../../../core/mbox-payloads.js';
import type { SequenceContext } from '../../../sequence.js';
import type { StepLog } from '../../step-log.js';
import { probeFailed, type LinuxProbeOptions } from '../kernel.js';
import { doeCreateMailbox } from './doe.js';
import { CXL_VENDOR, doeOffsets, findDvsec, findRegblock, getDsn, probeComponentRegs, probeDeviceRegs, type RegBlock61 } from './linux-pci.js';
import { Mailbox61 } from './mbox.js';

/** Opcodes in 6.1's cxl_mem_commands[] (core/mbox.c): the CEL enables only these. */
export const KNOWN_6_1: ReadonlySet<number> = new Set([0x4000, 0x0400, 0x0200, 0x4100, 0x4102, 0x4200, 0x0401, 0x4101, 0x4103, 0x4201, 0x4202, 0x4203, 0x4204, 0x4300, 0x4301, 0x4302, 0x4303, 0x4304, 0x4305]);
const FORCE_6_1 = [0x4000, 0x0400, 0x0401];

export interface Endpoint61 {
  t: Target;
  node: string;
  dvsec: number;
  component: RegBlock61 | null;
  /** Config offsets of DOE mailboxes whose protocols were cached, with CXL Table Access found. */
  cdatDoe: number;
  mbox: Mailbox61 | null;
  identify: IdentifyMemdev | null;
  enabled: Set<number>;
  /** Persistent bytes after partition info: > 0 gets an nvdimm (label read after the endpoint port probe). */
  pmemBytes: number;
  failed: boolean;
}

const PCI_COMMAND = 0x04;

export async function cxlPciProbe61(ctx: SequenceContext, log: StepLog, t: Target, k: KernelProfile, opt: LinuxProbeOptions): Promise<Endpoint61> {
  const n = t.node;
  const sleep = (ns: number) => ctx.sleep(ns);
  const s: Endpoint61 = { t, node: n, dvsec: 0, component: null, cdatDoe: 0, mbox: null, identify: null, enabled: new Set(), pmemBytes: 0, failed: false };
  const failProbe = (step: string, msg: string, errno: number, evidence: string): Endpoint61 => {
    log.fail(`${n}: ${step}`, `${msg} — ${probeFailed('cxl_pci', n, errno)}`, evidence);
    s.failed = true;
    return s;
  };

  // pcim_enable_device → pci_enable_resources: Memory Space Enable (6.1 sets no Bus Master here).
  const cmd = await t.cfgRead(PCI_COMMAND, 2);
  if (!(cmd & 2)) await t.cfgWrite(PCI_COMMAND, 2, cmd | 2);
  // do_pci_enable_device: without MSI/MSI-X enabled, the Interrupt Pin is read (INTx Disable cleared if set).
  await t.cfgRead(0x3d, 1);
  log.pass(`${n}: enable device`, `pcim_enable_device: Memory Space enabled; no pci_set_master (${ruleCite(k, k.probe.setMaster)})`, `Command ${hex(cmd, 4)}`);

  const dsn = await getDsn(t);
  log.pass(`${n}: DSN`, dsn ? `serial ${hex(dsn, 16)}` : 'no DSN: serial 0', `DSN = ${hex(dsn, 16)}`);

  s.dvsec = await findDvsec(t, CXL_VENDOR, 0);
  if (!s.dvsec) log.warn(`${n}: DVSEC 0`, 'Device DVSEC not present, skip CXL.mem init');
  else log.pass(`${n}: DVSEC 0`, `PCIe DVSEC for CXL Devices at ${hex(s.dvsec, 3)}`);

  // cxl_setup_regs(RBI_MEMDEV): locate, then cxl_probe_device_regs.
  const mem = await findRegblock(t, 3);
  if (!mem.locator) return failProbe('register locator', 'no Register Locator DVSEC: cxl_find_regblock returns -ENXIO', -6, 'Register Locator DVSEC absent');
  if (!mem.block) return failProbe('memdev register block', 'no memory device register block (RBI 3)', -19, `Register Locator at ${hex(mem.locator, 3)}`);
  const dm = await probeDeviceRegs(t, mem.block.bar, mem.block.offset);
  const missing = `${dm.status === null ? 'status ' : ''}${dm.mbox === null ? 'mbox ' : ''}${dm.memdev === null ? 'memdev ' : ''}`;
  if (missing) return failProbe('device capability array', `registers not found: ${missing}`.trimEnd(), -6, `capability array ID ${dm.capId}, count ${dm.count}`);
  log.pass(`${n}: device capability array`, `status, mailbox and memdev registers at BAR${mem.block.bar} + ${hex(mem.block.offset)}`, `count ${dm.count}`);

  // cxl_setup_regs(RBI_COMPONENT): 6.1's cxl_probe_regs wants the HDM decoder capability, nothing else.
  const comp = await findRegblock(t, 1);
  if (!comp.block) log.warn(`${n}: component register block`, 'No component registers (-19)');
  else {
    const block = comp.block;
    const cm = await probeComponentRegs((o) => t.barRead(block.bar, block.offset + o, 4));
    if (cm.hdm === null) log.warn(`${n}: component register block`, `HDM decoder registers not found — No component registers (-6) (${ruleCite(k, k.probe.componentProbe)})`, `CXL Capability Header ID ${cm.capId}`);
    else {
      s.component = block;
      log.pass(`${n}: component register block`, `HDM decoder capability at BAR${block.bar} + ${hex(block.offset + cm.hdm)}; RAS not mapped (${ruleCite(k, k.probe.componentProbe)})`, `HDM Decoder Capability = ${hex(cm.hdmCap)}`);
    }
  }

  // devm_cxl_pci_create_doe: every DOE mailbox is aborted and its protocols discovered (best effort).
  for (const off of await doeOffsets(t)) {
    const mb = await doeCreateMailbox(t, off, sleep);
    if (!mb.ok) log.warn(`${n}: DOE`, `Failed to create MB object for MB @ ${off.toString(16)} (${mb.error})`);
    else {
      if (!s.cdatDoe && mb.protocols.some((p) => p.vid === CXL_VENDOR && p.type === 2)) s.cdatDoe = off;
      log.pass(`${n}: DOE`, `mailbox @${hex(off, 3)}: protocols ${mb.protocols.map((p) => `${hex(p.vid, 4)}:${p.type}`).join(', ')} (${ruleCite(k, k.probe.doeMailboxes)})`);
    }
  }

  // cxl_pci_setup_mailbox: MB Capabilities, Mailbox Interfaces Ready (100 ms polls), doorbell idle, size.
  const { bar } = mem.block;
  const caps = await t.barRead(bar, dm.mbox! + 0x00, 4);
  let md = await t.barRead64(bar, dm.memdev!);
  const polls = Math.ceil((opt.mboxReadyTimeoutS * 1000) / 100);
  for (let i = 0; i < polls && !(md & 0x10n); i++) {
    await ctx.sleep(100 * NS_PER_MS);
    md = await t.barRead64(bar, dm.memdev!);
  }
  if (!(md & 0x10n)) return failProbe('mailbox ready', 'timeout awaiting mailbox ready, device state', -110, `Memory Device Status = ${hex(md, 16)}`);
  const mbox = new Mailbox61(t, bar, dm.mbox!, dm.memdev!, caps, ctx.sink, sleep);
  if (!(await mbox.waitDoorbell())) return failProbe('mailbox idle', 'timeout awaiting mailbox idle, device state', -110, 'MB Control doorbell stuck');
  if (mbox.payloadSize < 256) return failProbe('mailbox payload size', `Mailbox is too small (${mbox.payloadSize}b)`, -6, `MB Capabilities = ${hex(caps)}`);
  log.pass(`${n}: mailbox set-up`, `mailbox ready, payload ${mbox.payloadSize} B; no interrupts (${ruleCite(k, k.probe.mailboxBgIrq)})`, `MB Capabilities = ${hex(caps)}, Memory Device Status = ${hex(md, 16)}`);
  s.mbox = mbox;

  // cxl_enumerate_cmds: Get Supported Logs (output up to the payload size), CEL in payload-sized chunks.
  const gsl = await mbox.send(0x0400, new Uint8Array(0), mbox.payloadSize, true);
  if (gsl.errno) return failProbe('Get Supported Logs', `Get Supported Logs failed (${gsl.note || hex(gsl.rc, 4)})`, gsl.errno, `return code ${hex(gsl.rc, 4)}`);
  const logs = decodeSupportedLogs(gsl.output);
  const cel = logs.entries.find((e) => e.uuid === CEL_UUID);
  if (!cel) return failProbe('Get Supported Logs', 'no Command Effects Log: cxl_enumerate_cmds returns -ENOENT', -2, `${logs.declared} log(s)`);
  const celBytes = new Uint8Array(cel.size);
  for (let off = 0; off < cel.size; ) {
    const len = Math.min(cel.size - off, mbox.payloadSize);
    const r = await mbox.send(0x0401, encodeGetLog(CEL_UUID, off, len), len, true);
    if (r.errno) return failProbe('Get Log (CEL)', `Get Log at offset ${off} failed`, r.errno, `return code ${hex(r.rc, 4)}`);
    celBytes.set(r.output.subarray(0, len), off);
    off += len;
  }
  const entries = decodeCel(celBytes);
  for (const e of entries) if (KNOWN_6_1.has(e.opcode)) s.enabled.add(e.opcode);
  for (const op of FORCE_6_1) s.enabled.add(op);
  log.pass(`${n}: CEL`, `${entries.length} CEL entries, ${s.enabled.size} commands enabled by 6.1's cxl_mem_commands[]`, entries.map((e) => hex(e.opcode, 4)).join(' '));
  log.info(`${n}: Set Timestamp`, `not sent (${ruleCite(k, k.probe.setTimestamp)})`);

  // cxl_dev_state_identify: exactly sizeof(struct cxl_mbox_identify) bytes or -EIO.
  const idr = await mbox.send(0x4000, new Uint8Array(0), k.probe.identifyOutLen.value);
  if (idr.errno) return failProbe('Identify Memory Device', `Identify failed: ${idr.note || `return code ${hex(idr.rc, 4)}`}`, idr.errno, `output length ${idr.outLen} B, 6.1 asks ${k.probe.identifyOutLen.value} B (${ruleCite(k, k.probe.identifyExactLen)})`);
  const id = decodeIdentifyMemdev(idr.output);
  s.identify = id;
  log.pass(`${n}: Identify Memory Device`, `${id.totalBytes / 2 ** 20} MiB (volatile ${id.volatileOnlyBytes / 2 ** 20}, persistent ${id.persistentOnlyBytes / 2 ** 20}), LSA ${id.lsaSize} B`, `output ${idr.outLen} B`);

  // cxl_mem_create_range_info: Get Partition Info only with a partition alignment.
  let pmemBytes = id.persistentOnlyBytes;
  if (id.partitionAlignBytes) {
    const pr = await mbox.send(0x4100, new Uint8Array(0), 0x20);
    if (pr.errno) return failProbe('partition info', 'Failed to query partition information', pr.errno, `return code ${hex(pr.rc, 4)}`);
    pmemBytes = decodePartitionInfo(pr.output).activePersistentBytes;
    log.pass(`${n}: partition info`, `active persistent ${pmemBytes / 2 ** 20} MiB`);
  } else log.info(`${n}: partition info`, 'partition alignment 0: Get Partition Info not sent');
  log.info(`${n}: events`, `no event set-up (${ruleCite(k, k.probe.eventSetup)}); no RAS unmask (${ruleCite(k, k.probe.rasUnmask)})`);

  // devm_cxl_add_nvdimm (persistent capacity): the nvdimm's label area is read later, once cxl_pmem binds the
  // nvdimm (after the endpoint port probe in a real 6.1 boot; index.ts calls readLabels61).
  s.pmemBytes = pmemBytes;
  return s;
}

export { encodeGetLsa };
