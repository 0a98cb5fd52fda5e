// The mailbox commands cxl_pci_probe sends once the mailbox is up (drivers/cxl/core/mbox.c, pci.c; v6.8-v6.12):
// CEL discovery (cxl_enumerate_cmds), Set Timestamp, Identify, partition info, firmware upload set-up, event set-up
// (cxl_event_config) and, when asked (trigger_poison_list), the poison list.

import { hex, toHex } from '../../core/bytes.js';
import type { MailboxClient, MailboxResult } from '../../core/mbox.js';
import {
  CAPACITY_UNIT,
  CEL_UUID,
  decodeCel,
  decodeEventInterruptPolicy,
  decodeEventRecords,
  decodeIdentifyMemdev,
  decodePartitionInfo,
  decodePoisonList,
  decodeSupportedLogs,
  encodeClearEventRecords,
  encodeEventInterruptPolicy,
  encodeGetLog,
  encodeGetPoisonList,
  encodeSetTimestamp,
  EVENT_LOGS,
  IDENTIFY_MEMDEV_LEN,
  type IdentifyMemdev,
} from '../../core/mbox-payloads.js';
import { OP, RC, opcodeName } from '../../core/mbox-opcodes.js';
import type { SequenceContext } from '../../sequence.js';
import type { StepLog } from '../step-log.js';
import { FORCE_ENABLED, KERNEL_KNOWN_OPCODES, probeFailed, type LinuxProbeOptions } from './kernel.js';
import { pciIrqVectorCount } from '../../core/pci.js';
import { CXL_PCI_DEFAULT_MAX_VECTORS } from './cxl-pci.js';
import { getKernel, ruleCite } from '../../kernels/index.js';

export interface MemdevInfo {
  /** Opcodes the CEL lists (all of them) and those the kernel enabled. */
  cel: number[];
  enabled: Set<number>;
  identify: IdentifyMemdev | null;
  failed: boolean;
}

/** What a mailbox answer looked like, for evidence. */
const rcEvidence = (r: MailboxResult): string =>
  r.failure ? `${r.failure.message}; ${r.failure.evidence}` : `${r.name}: return code ${hex(r.rc, 4)} ${r.rcName}, ${r.outLen} B out`;

export async function cxlProbeCommands(ctx: SequenceContext, log: StepLog, mbox: MailboxClient, opt: LinuxProbeOptions): Promise<MemdevInfo> {
  const n = mbox.target.node;
  const info: MemdevInfo = { cel: [], enabled: new Set(), identify: null, failed: false };
  const fail = (step: string, msg: string, errno: number, evidence: string): MemdevInfo => {
    log.fail(`${n}: ${step}`, `${msg} — ${probeFailed('cxl_pci', n, errno)}`, evidence);
    info.failed = true;
    return info;
  };

  // cxl_enumerate_cmds: Get Supported Logs, find the CEL, read it in payload-sized chunks (cxl_xfer_log).
  const gsl = await mbox.send(OP.getSupportedLogs);
  if (gsl.rc !== RC.success) return fail('Get Supported Logs', `${gsl.name} failed`, -6, rcEvidence(gsl));
  const logs = decodeSupportedLogs(gsl.output);
  const cel = logs.entries.find((e) => e.uuid === CEL_UUID);
  const logEv = `${logs.declared} log(s): ${logs.entries.map((e) => `${e.uuid} (${e.size} B)`).join(', ')}`;
  if (!cel) return fail('Get Supported Logs', 'no Command Effects Log in Get Supported Logs: cxl_enumerate_cmds returns -ENOENT', -2, logEv);
  log.pass(`${n}: Get Supported Logs`, `CEL present, ${cel.size} B`, logEv);

  const celBytes = new Uint8Array(cel.size);
  for (let off = 0; off < cel.size; ) {
    const len = Math.min(cel.size - off, mbox.payloadSize);
    const r = await mbox.send(OP.getLog, encodeGetLog(CEL_UUID, off, len));
    if (r.rc !== RC.success) return fail('Get Log (CEL)', `Get Log of the CEL at offset ${off} length ${len} failed`, -6, rcEvidence(r));
    celBytes.set(r.output.subarray(0, len), off);
    off += len;
  }
  const entries = decodeCel(celBytes);
  info.cel = entries.map((e) => e.opcode);
  for (const e of entries) if (KERNEL_KNOWN_OPCODES.has(e.opcode)) info.enabled.add(e.opcode);
  for (const op of FORCE_ENABLED) info.enabled.add(op);
  const unknown = entries.filter((e) => !KERNEL_KNOWN_OPCODES.has(e.opcode)).map((e) => hex(e.opcode, 4));
  log.pass(
    `${n}: Get Log (CEL)`,
    `${entries.length} CEL entries; ${info.enabled.size} commands enabled${unknown.length ? `; unsupported by driver: ${unknown.join(', ')}` : ''}`,
    entries.map((e) => `${hex(e.opcode, 4)} ${opcodeName(e.opcode)} effect ${hex(e.effect, 4)}`).join('; '),
  );

  // cxl_set_timestamp: optional command.
  const k = getKernel(opt.kernel);
  const ts = k.probe.setTimestamp.value ? await mbox.send(OP.setTimestamp, encodeSetTimestamp(BigInt(ctx.clock.now()))) : null;
  if (!ts) log.info(`${n}: Set Timestamp`, `not sent (${ruleCite(k, k.probe.setTimestamp)})`);
  else if (ts.rc === RC.success) log.pass(`${n}: Set Timestamp`, 'device timestamp set', rcEvidence(ts));
  else if (ts.rc === RC.unsupported) log.warn(`${n}: Set Timestamp`, 'Set Timestamp unsupported (optional; event timestamps may read 0)', rcEvidence(ts));
  else return fail('Set Timestamp', `cxl_set_timestamp failed: ${ts.rcName}`, -6, rcEvidence(ts));

  // cxl_dev_state_identify.
  const idr = await mbox.send(OP.identifyMemdev);
  if (idr.rc !== RC.success) return fail('Identify Memory Device', `Identify failed: ${idr.failure?.message ?? idr.rcName}`, -6, rcEvidence(idr));
  if (idr.output.length < IDENTIFY_MEMDEV_LEN) return fail('Identify Memory Device', `output ${idr.output.length} B shorter than ${IDENTIFY_MEMDEV_LEN} B (cxl_internal_send_cmd -EIO)`, -5, toHex(idr.output));
  const id = decodeIdentifyMemdev(idr.output);
  info.identify = id;
  const mib = (b: number) => `${b / 2 ** 20} MiB`;
  log.pass(
    `${n}: Identify Memory Device`,
    `total ${mib(id.totalBytes)}, volatile ${mib(id.volatileOnlyBytes)}, persistent ${mib(id.persistentOnlyBytes)}, alignment ${mib(id.partitionAlignBytes)}, LSA ${id.lsaSize} B, poison max ${id.poisonListMax}`,
    `FW "${id.fwRevision}", event log sizes ${id.infoEventLogSize}/${id.warningEventLogSize}/${id.failureEventLogSize}/${id.fatalEventLogSize}`,
  );
  if (id.totalBytes !== id.volatileOnlyBytes + id.persistentOnlyBytes && id.partitionAlignBytes === 0)
    log.warn(`${n}: capacity`, 'total capacity differs from volatile-only + persistent-only with partition alignment 0; Linux uses only the -only capacities', `total ${id.totalBytes}, volatile ${id.volatileOnlyBytes}, persistent ${id.persistentOnlyBytes}`);

  // cxl_mem_create_range_info: Get Partition Info only when partitionable.
  if (id.partitionAlignBytes === 0) log.info(`${n}: Get Partition Info`, 'not sent: partition alignment is 0 (ram = volatile-only, pmem = persistent-only)');
  else {
    const pr = await mbox.send(OP.getPartitionInfo);
    if (pr.rc !== RC.success) return fail('Get Partition Info', 'Failed to query partition information', -6, rcEvidence(pr));
    const p = decodePartitionInfo(pr.output);
    log.pass(`${n}: Get Partition Info`, `active volatile ${mib(p.activeVolatileBytes)}, active persistent ${mib(p.activePersistentBytes)}`, `next ${mib(p.nextVolatileBytes)} / ${mib(p.nextPersistentBytes)}`);
  }

  // devm_cxl_setup_features (newest kernels): Get Supported Features when the CEL lists it.
  if (k.probe.features.value) {
    if (!info.cel.includes(0x0500)) log.info(`${n}: Features`, `Get Supported Features not in the CEL: No CXL Features discovered (${ruleCite(k, k.probe.features)})`);
    else {
      const req = new Uint8Array(8);
      new DataView(req.buffer).setUint32(0, mbox.payloadSize, true);
      const f = await mbox.send(0x0500, req);
      if (f.rc === RC.success) log.pass(`${n}: Features`, `Get Supported Features: ${f.output.length >= 2 ? f.output[0]! | (f.output[1]! << 8) : 0} feature(s) (${ruleCite(k, k.probe.features)})`, rcEvidence(f));
      else log.info(`${n}: Features`, `No CXL Features discovered (${f.rcName})`, rcEvidence(f));
    }
  }

  // devm_cxl_setup_fw_upload registers the firmware-upload interface when the CEL enables Get FW Info, without
  // sending it: Get FW Info goes out only when an upload starts (cxl_fw_prepare → cxl_mem_get_fw_info).
  if (!info.enabled.has(OP.getFwInfo)) log.info(`${n}: firmware upload`, 'Get FW Info not in the CEL: no firmware upload interface');
  else log.pass(`${n}: firmware upload`, 'Get FW Info in the CEL: firmware upload interface registered (no command at probe)');

  // cxl_event_config: only when the OS owns CXL error reporting, and only with MSI/MSI-X vectors (irq_avail).
  const vectors = k.probe.eventSetup.value ? Math.min(CXL_PCI_DEFAULT_MAX_VECTORS, await pciIrqVectorCount(mbox.target)) : 0;
  if (!k.probe.eventSetup.value) log.info(`${n}: events`, `no event set-up (${ruleCite(k, k.probe.eventSetup)})`);
  else if (!opt.nativeCxlError) log.info(`${n}: events`, 'firmware owns CXL error reporting (_OSC): event logs left to firmware');
  else if (vectors === 0) log.info(`${n}: events`, 'No interrupt support, disable event processing.');
  else {
    const g = await mbox.send(OP.getEventInterruptPolicy);
    if (g.rc !== RC.success) return fail('event interrupt policy', `Failed to get event interrupt policy : -6`, -6, rcEvidence(g));
    const pol = decodeEventInterruptPolicy(g.output);
    const fw = [pol.info, pol.warning, pol.failure, pol.fatal].some((v) => (v & 3) === 2);
    if (fw) return fail('event interrupt policy', 'FW still in control of Event Logs despite _OSC settings', -16, `policy ${toHex(g.output)}`);
    const set = await mbox.send(OP.setEventInterruptPolicy, encodeEventInterruptPolicy({ info: 1, warning: 1, failure: 1, fatal: 1 }));
    if (set.rc !== RC.success) return fail('event interrupt policy', 'Failed to set event interrupt policy : -6', -6, rcEvidence(set));
    const g2 = await mbox.send(OP.getEventInterruptPolicy);
    if (g2.rc !== RC.success) return fail('event interrupt policy', 'Failed to get event interrupt policy : -6', -6, rcEvidence(g2));
    // cxl_event_irqsetup → cxl_event_req_irq per log: the read-back mode must be MSI/MSI-X and its message number
    // [7:4] must name an allocated vector, else "Failed to get interrupt for event <Log> log" fails the probe.
    const after = decodeEventInterruptPolicy(g2.output);
    for (const [name, v] of [['Info', after.info], ['Warn', after.warning], ['Failure', after.failure], ['Fatal', after.fatal]] as const) {
      const mode = v & 3;
      const msgnum = (v >>> 4) & 0xf;
      if (mode !== 1 || msgnum >= vectors)
        return fail('event interrupt policy', `Failed to get interrupt for event ${name} log`, mode !== 1 ? -6 : -22, `after Set: ${toHex(g2.output)} (${name}: mode ${mode}, message number ${msgnum}; ${vectors} vector(s))`);
    }
    log.pass(`${n}: event interrupt policy`, 'MSI/MSI-X set for informational, warning, failure and fatal logs', `before ${toHex(g.output)}, after ${toHex(g2.output)}`);

    // cxl_mem_get_event_records(CXLDEV_EVENT_STATUS_ALL): fatal, failure, warning, informational. Each log is read
    // and cleared until a Get Event Records returns no record (cxl_mem_get_records_log loops `while (nr_rec)`; it
    // does not stop on a clear More Event Records flag).
    const summary: string[] = [];
    let errors = 0;
    for (const logId of [3, 2, 1, 0]) {
      let total = 0;
      for (let guard = 0; guard < 64; guard++) {
        const r = await mbox.send(OP.getEventRecords, new Uint8Array([logId]));
        if (r.rc !== RC.success) {
          errors++;
          summary.push(`Event log '${logId}': Failed to query event records : -6 (${r.rcName})`);
          break;
        }
        const ev = decodeEventRecords(r.output);
        total += ev.records.length;
        if (ev.records.length) {
          const c = await mbox.send(OP.clearEventRecords, encodeClearEventRecords(logId, ev.records.map((x) => x.handle)));
          if (c.rc !== RC.success) {
            errors++;
            summary.push(`Event log '${logId}': Failed to clear events : -6 (${c.rcName})`);
            break;
          }
        }
        if (!ev.records.length) break;
      }
      summary.push(`${EVENT_LOGS[logId]}: ${total} record(s)`);
    }
    if (errors) log.warn(`${n}: event records`, summary.filter((x) => x.startsWith('Event log')).join('; '), summary.join('; '));
    else log.pass(`${n}: event records`, 'all event logs read and cleared', summary.join('; '));
  }

  // Poison list: cxl_pci_probe sends no Get Poison List; the kernel reads the list (cxl_mem_get_poison) when user
  // space writes the memdev's trigger_poison_list attribute. Replayed only when asked, and only if the CEL has it.
  if (!opt.triggerPoisonList) log.info(`${n}: Get Poison List`, 'not sent at probe (only on a trigger_poison_list write)');
  else if (!info.enabled.has(OP.getPoisonList) || !info.cel.includes(OP.getPoisonList)) log.info(`${n}: Get Poison List`, 'not in the CEL: poison list unavailable');
  else {
    const len64 = Math.floor(id.totalBytes / 64) || (id.volatileOnlyBytes + id.persistentOnlyBytes) / 64;
    const records: string[] = [];
    let ok = true;
    for (let guard = 0, more = true; more && guard < 64; guard++) {
      const r = await mbox.send(OP.getPoisonList, encodeGetPoisonList(0, len64));
      if (r.rc !== RC.success) {
        ok = false;
        log.warn(`${n}: Get Poison List`, `Get Poison List failed (${r.rcName})`, rcEvidence(r));
        break;
      }
      const p = decodePoisonList(r.output);
      records.push(...p.records.map((x) => `DPA ${hex(x.dpa)} × ${x.length64 * 64} B (source ${x.source})`));
      more = p.moreRecords && p.records.length > 0;
    }
    if (ok) log.pass(`${n}: Get Poison List`, `${records.length} media error record(s) over ${(len64 * 64) / CAPACITY_UNIT} × 256 MiB`, records.join('; ') || 'none');
  }
  return info;
}
