// cxl_mem_probe → cxl_endpoint_port_probe (drivers/cxl/mem.c, port.c, core/pci.c, core/hdm.c; v6.8-v6.12):
// DVSEC range decode, HDM decoder capability, DVSEC range fallback, committed-decoder adoption, CDAT over DOE,
// and the nvdimm label read (Get LSA) of a persistent-memory device.

import { hex } from '../../core/bytes.js';
import { cdatChecksumOk, cdatGetLength, cdatRead, doeFindCdatMailbox } from '../../core/doe.js';
import { HDM, HDM_DECODER_ENABLE, hdmReadCaps, hdmReadDecoder, hdmWrite, type HdmAt } from '../../core/hdm.js';
import { encodeGetLsa, type IdentifyMemdev } from '../../core/mbox-payloads.js';
import { OP, RC } from '../../core/mbox-opcodes.js';
import { DVSEC0, DVSEC0_CTRL_MEM_ENABLE, dvsecDeviceRead } from '../../core/memdev.js';
import { barComponentAccess } from '../../core/regs.js';
import { cedtParse } from '../../core/cedt.js';
import type { SequenceContext } from '../../sequence.js';
import type { StepLog } from '../step-log.js';
import type { EndpointState } from './cxl-pci.js';
import type { MemdevInfo } from './mem-commands.js';
import { probeFailed, type LinuxProbeOptions } from './kernel.js';

export async function cxlMemProbe(ctx: SequenceContext, log: StepLog, s: EndpointState, info: MemdevInfo, opt: LinuxProbeOptions): Promise<boolean> {
  const n = s.node;
  const t = s.t;
  const fail = (step: string, msg: string, errno: number, evidence: string, driver = 'cxl_port'): boolean => {
    log.fail(`${n}: ${step}`, `${msg} — ${probeFailed(driver, n, errno)}`, evidence);
    return false;
  };

  // cxl_mem_probe: a device whose media never became ready is refused.
  if (!s.mediaReady) return fail('cxl_mem', 'media not ready: cxl_mem_probe returns -EBUSY', -16, 'cxlds->media_ready = false (see the media ready step)', 'cxl_mem');
  if (!s.dvsec) return fail('cxl_mem', 'no DVSEC 0: CXL.mem not initialised', -6, 'cxlds->cxl_dvsec = 0', 'cxl_mem');

  // cxl_dvsec_rr_decode.
  const dv = await dvsecDeviceRead(t, s.dvsec);
  const dvEv = `CXL Capability = ${hex(dv.cap, 4)}, CXL Control = ${hex(dv.ctrl, 4)}; ${dv.ranges.map((r) => `range ${r.index + 1} base ${hex(r.base)} size ${hex(r.size)}`).join('; ')}`;
  if (!dv.memCapable) return fail('DVSEC ranges', 'Not MEM Capable', -6, dvEv);
  if (dv.hdmCount === 0 || dv.hdmCount > 2) return fail('DVSEC ranges', `invalid HDM_Count ${dv.hdmCount}`, -22, dvEv);
  const activeRanges = dv.memEnabled ? dv.ranges.filter((r) => r.size > 0) : [];
  log.pass(`${n}: DVSEC ranges`, dv.memEnabled ? `Mem_Enable set by firmware, ${activeRanges.length} range(s) programmed` : 'Mem_Enable clear: ranges not in use', dvEv);

  // devm_cxl_setup_hdm.
  if (!s.component) {
    if (!dv.memEnabled) return fail('HDM decoders', 'No component registers mapped', -6, 'no component register block');
    log.warn(`${n}: HDM decoders`, `no component registers: ${activeRanges.length} decoder(s) emulated from DVSEC ranges`, dvEv);
    return true;
  }
  if (s.component.hdm === null) return fail('HDM decoders', 'HDM decoder registers not found', -19, `component capability array ${hex(s.component.array.raw)} lists no ID 5`);
  const h: HdmAt = { regs: barComponentAccess(t, s.component.block.bar, 0), base: s.component.hdm };
  const caps = await hdmReadCaps(h);
  const capEv = `HDM Decoder Capability = ${hex(caps.raw)} (count ${caps.decoderCount}, 256B-granularity ${caps.a11to8 ? 1 : 0}, 4K ${caps.a14to12 ? 1 : 0}, 3/6/12-way ${caps.ways3_6_12 ? 1 : 0}, 16-way ${caps.ways16 ? 1 : 0})`;
  if (caps.decoderCount === 0) return fail('HDM decoders', 'Spec violation. Caps invalid', -6, capEv);
  const global = await h.regs.read32(h.base + HDM.globalCtrl);
  const decoders = [];
  for (let i = 0; i < caps.decoderCount; i++) decoders.push(await hdmReadDecoder(h, i));
  const anyCommitted = decoders.some((d) => d.committed);
  // should_emulate_decoders: the DVSEC ranges stand in for decoders when firmware set Mem_Enable and no HDM
  // decoder is committed (whatever Global Control says).
  const emulate = dv.memEnabled && !anyCommitted;
  log.pass(`${n}: HDM decoder capability`, `${caps.decoderCount} decoder(s)${emulate ? `; fallback map ${activeRanges.length} range register(s)` : ''}`, `${capEv}; Global Control = ${hex(global)}`);

  // read_cdat_data: CDAT over DOE (errors only logged).
  const doe = await doeFindCdatMailbox(t, ctx.sleep.bind(ctx));
  if (!doe) log.info(`${n}: CDAT`, 'No CDAT mailbox (no DOE capability answering CXL Table Access)');
  else {
    // cxl_cdat_get_length (handle 0, for the buffer size), then cxl_cdat_read_table from handle 0 again.
    const length = await cdatGetLength(t, doe, ctx.sleep.bind(ctx));
    const c = length === null ? { ok: false, bytes: new Uint8Array(0), entries: 0, error: 'DOE failed reading the CDAT length' } : await cdatRead(t, doe, ctx.sleep.bind(ctx));
    if (!c.ok || !cdatChecksumOk(c.bytes)) log.warn(`${n}: CDAT`, 'Failed to read/validate CDAT.', c.error ?? `checksum of ${c.bytes.length} B is not zero`);
    else log.pass(`${n}: CDAT`, `${c.bytes.length} B in ${c.entries} entries, checksum ok`, `DOE at ${hex(doe, 3)}`);
  }

  // cxl_hdm_decode_init (core/pci.c): HDM Decoder Enable already set means platform firmware set decoding up, and
  // Linux only makes sure Mem_Enable is set (devm_cxl_enable_mem). Otherwise, with DVSEC ranges enabled, at least
  // one range must sit in a root decoder (CFMWS) and HDM decoding stays off; without them Linux enables HDM
  // decoding (devm_cxl_enable_hdm: Global Control |= Enable, unconditionally) and then Mem_Enable.
  const enableMem = async (): Promise<string> => {
    // cxl_set_mem_enable: read Control; write only when Mem_Enable differs.
    const ctrl = await t.cfgRead(s.dvsec + DVSEC0.ctrl, 2);
    if (!(ctrl & DVSEC0_CTRL_MEM_ENABLE)) await t.cfgWrite(s.dvsec + DVSEC0.ctrl, 2, ctrl | DVSEC0_CTRL_MEM_ENABLE);
    return `DVSEC Control ${hex(ctrl, 4)} → ${hex(await t.cfgRead(s.dvsec + DVSEC0.ctrl, 2), 4)}`;
  };
  if (global & HDM_DECODER_ENABLE) {
    const ev = await enableMem();
    log.pass(`${n}: HDM decode init`, 'HDM decoding already enabled (platform firmware); Mem_Enable set', `Global Control = ${hex(global)}; ${ev}`);
  } else if (dv.memEnabled) {
    if (ctx.platform) {
      const wins = cedtParse(ctx.platform.cedt()).cfmws;
      const allowed = activeRanges.filter((r) => wins.some((w) => r.base >= w.base && r.base + r.size <= w.base + w.size));
      if (allowed.length === 0) return fail('HDM decode init', 'Range register decodes outside platform defined CXL ranges.', -6, `${dvEv}; CFMWS ${wins.map((w) => `${hex(w.base, 12)}+${hex(w.size, 12)}`).join(', ') || 'none'}`);
    }
    log.info(`${n}: HDM decode init`, 'DVSEC range fallback: Linux keeps the firmware ranges (HDM Decoder Enable left clear) and emulates decoders from them', dvEv);
  } else {
    await hdmWrite(h, HDM.globalCtrl, global | HDM_DECODER_ENABLE);
    const memEv = await enableMem();
    const g2 = await h.regs.read32(h.base + HDM.globalCtrl);
    const c2 = await t.cfgRead(s.dvsec + DVSEC0.ctrl, 2);
    if (!(g2 & HDM_DECODER_ENABLE) || !(c2 & DVSEC0_CTRL_MEM_ENABLE))
      return fail('HDM decode init', 'HDM Decoder Enable or Mem_Enable did not stick', -6, `Global Control = ${hex(g2)}, DVSEC Control = ${hex(c2, 4)}`);
    log.pass(`${n}: HDM decode init`, 'HDM Decoder Enable and Mem_Enable set', `Global Control ${hex(global)} → ${hex(g2)}; ${memEv}`);
  }

  // devm_cxl_enumerate_decoders → init_hdm_decoder for each decoder.
  let commitEnd = -1;
  let dpaBase = 0;
  const adopted: string[] = [];
  for (const d of emulate ? [] : decoders) {
    const name = `decoder(${n}).${d.index}`;
    const ev = `Decoder ${d.index}: Control = ${hex(d.ctrl)}, base ${hex(d.base)}, size ${hex(d.size)}, skip ${hex(d.tlLo)}`;
    if (d.ways === null) return fail('HDM decoders', `${name}: Invalid interleave ways (ctrl: ${hex(d.ctrl)})`, -6, ev);
    if (d.ig > 6) return fail('HDM decoders', `${name}: Invalid interleave granularity (ctrl: ${hex(d.ctrl)})`, -6, ev);
    if (!d.committed) continue;
    if (d.index !== commitEnd + 1) return fail('HDM decoders', `${name}: Committed out of order`, -6, ev);
    if (d.size === 0) return fail('HDM decoders', `${name}: Committed with zero size`, -6, ev);
    if (d.size % d.ways) return fail('HDM decoders', `${name}: invalid committed configuration size: ${hex(d.size)} ways: ${d.ways}`, -6, ev);
    const skip = (d.tlLo & 0xf000_0000) >>> 0;
    dpaBase += d.size / d.ways + skip;
    commitEnd = d.index;
    adopted.push(`${name} HPA ${hex(d.base)}+${hex(d.size)} ×${d.ways} (${d.granularity} B)`);
  }
  if (emulate) log.pass(`${n}: decoders`, `${activeRanges.length} decoder(s) emulated from DVSEC ranges`, dvEv);
  else log.pass(`${n}: decoders`, adopted.length ? `adopted ${adopted.length} committed decoder(s), ${dpaBase / 2 ** 20} MiB of DPA claimed` : `${decoders.length} decoder(s), none committed`, adopted.join('; ') || decoders.map((d) => `decoder ${d.index} ctrl ${hex(d.ctrl)}`).join(', '));

  // nvdimm bridge: a pmem-capable device with an LSA gets its label area read (max_xfer = payload - 8).
  await readLabels(log, s, info.identify, info, opt);
  return true;
}

async function readLabels(log: StepLog, s: EndpointState, id: IdentifyMemdev | null, info: MemdevInfo, opt: LinuxProbeOptions): Promise<void> {
  const n = s.node;
  if (!id || !s.mbox) return;
  if (id.persistentOnlyBytes === 0 && id.partitionAlignBytes === 0) return void log.info(`${n}: LSA`, 'no persistent capacity: no nvdimm bridge');
  if (id.lsaSize === 0) return void log.info(`${n}: LSA`, 'LSA size 0: no label area');
  if (!info.enabled.has(OP.getLsa)) return void log.warn(`${n}: LSA`, 'Get LSA not in the CEL: labels cannot be read', `LSA size ${id.lsaSize}`);
  const chunk = s.mbox.payloadSize - 8;
  const total = Math.min(id.lsaSize, opt.lsaReadLimit);
  let reads = 0;
  for (let off = 0; off < total; off += chunk) {
    const len = Math.min(chunk, total - off);
    const r = await s.mbox.send(OP.getLsa, encodeGetLsa(off, len));
    reads++;
    if (r.rc !== RC.success || r.output.length !== len)
      return void log.fail(`${n}: LSA`, `Get LSA at offset ${off} length ${len} failed: label read fails (-6)`, `${r.rcName}, ${r.output.length} B returned`);
  }
  log.pass(`${n}: LSA`, `${total} B of labels read in ${reads} Get LSA command(s) of ≤ ${chunk} B`, `LSA size ${id.lsaSize} B`);
}
