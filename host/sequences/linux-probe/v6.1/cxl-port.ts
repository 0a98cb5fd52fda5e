// The endpoint's cxl_port probe as Linux 6.1 runs it (drivers/cxl/port.c cxl_port_probe): devm_cxl_setup_hdm
// (component capabilities probed again, HDM capability), read_cdat_data over the DOE mailbox cxl_pci cached,
// cxl_hdm_decode_init (DVSEC ranges; HDM Decoder Enable + Mem_Enable), cxl_await_media_ready, and
// devm_cxl_enumerate_decoders — which in 6.1 writes Target Type into every uncommitted decoder. Switch and host
// bridge ports use the same decoder enumeration (switch decoders also read their target lists).

import { NS_PER_MS, NS_PER_S } from '../../../../common/clock.js';
import type { Target } from '../../../../common/target.js';
import { hex } from '../../../core/bytes.js';
import type { KernelProfile } from '../../../kernels/types.js';
import { ruleCite } from '../../../kernels/types.js';
import type { SequenceContext } from '../../../sequence.js';
import type { StepLog } from '../../step-log.js';
import { probeFailed, type LinuxProbeOptions } from '../kernel.js';
import type { Endpoint61 } from './cxl-pci.js';
import { CDAT_REQ, doeExchange } from './doe.js';
import { CXL_VENDOR, hdmDecoderCount, probeComponentRegs } from './linux-pci.js';

const DV = { cap: 0x0a, ctrl: 0x0c, sizeHi: (i: number) => 0x18 + 0x10 * i, sizeLo: (i: number) => 0x1c + 0x10 * i, baseHi: (i: number) => 0x20 + 0x10 * i, baseLo: (i: number) => 0x24 + 0x10 * i } as const;
const D = { cap: 0x00, global: 0x04, baseLo: (n: number) => 0x10 + 0x20 * n, baseHi: (n: number) => 0x14 + 0x20 * n, sizeLo: (n: number) => 0x18 + 0x20 * n, sizeHi: (n: number) => 0x1c + 0x20 * n, ctrl: (n: number) => 0x20 + 0x20 * n, tlLo: (n: number) => 0x24 + 0x20 * n, tlHi: (n: number) => 0x28 + 0x20 * n } as const;
const CTRL_COMMITTED = 1 << 10;
const CTRL_TYPE = 1 << 12;
const EIW_WAYS: Readonly<Record<number, number>> = { 0: 1, 1: 2, 2: 4, 3: 8, 4: 16, 8: 3, 9: 6, 10: 12 };

export interface Rw32 {
  read32(o: number): Promise<number>;
  write32(o: number, v: number): Promise<void>;
  /** One 64-bit read (ioread64_hi_lo as x86-64 issues it). */
  read64(o: number): Promise<bigint>;
}

/** devm_cxl_setup_hdm → map_hdm_decoder_regs (cxl_probe_component_regs) → parse_hdm_decoder_caps. */
export async function setupHdm61(regs: Rw32): Promise<{ hdm: number; count: number; targets: number } | { error: string }> {
  const cm = await probeComponentRegs((o) => regs.read32(o));
  if (cm.hdm === null) return { error: 'HDM decoder registers invalid' };
  const cap = await regs.read32(cm.hdm + D.cap);
  const count = hdmDecoderCount(cap);
  if (!count) return { error: 'Spec violation. Caps invalid' };
  return { hdm: cm.hdm, count, targets: (cap >>> 4) & 0xf };
}

/** devm_cxl_enumerate_decoders / init_hdm_decoder (ioread64_hi_lo: high dword first). */
export async function enumerateDecoders61(ctx: SequenceContext, regs: Rw32, hdm: number, count: number, endpoint: boolean, k: KernelProfile): Promise<{ ok: boolean; message: string; committed: number; typed: number }> {
  let committed = 0;
  for (let i = 0; i < count; i++) if ((await regs.read32(hdm + D.ctrl(i))) & CTRL_COMMITTED) committed++;
  if (committed !== count) await ctx.sleep(k.probe.decoderSettleMs.value * NS_PER_MS);
  let commitEnd = -1;
  let typed = 0;
  for (let i = 0; i < count; i++) {
    let ctrl = await regs.read32(hdm + D.ctrl(i));
    // ioread64_hi_lo on x86-64: one 64-bit read of the low register (seen in the 6.1 capture).
    await regs.read64(hdm + D.baseLo(i));
    const sizeRaw = await regs.read64(hdm + D.sizeLo(i));
    const isCommitted = (ctrl & CTRL_COMMITTED) !== 0;
    const size = isCommitted ? Number(sizeRaw) : 0;
    if (isCommitted) {
      if (i !== commitEnd + 1) return { ok: false, message: `decoder ${i}: Committed out of order`, committed, typed };
      if (size === 0) return { ok: false, message: `decoder ${i}: Committed with zero size`, committed, typed };
      commitEnd = i;
    } else if (k.probe.decoderTargetTypeAtProbe.value && !(ctrl & CTRL_TYPE)) {
      ctrl = (ctrl | CTRL_TYPE) >>> 0;
      await regs.write32(hdm + D.ctrl(i), ctrl);
      typed++;
    }
    const ways = EIW_WAYS[(ctrl >>> 4) & 0xf];
    if (ways === undefined) return { ok: false, message: `decoder ${i}: Invalid interleave ways (ctrl: ${hex(ctrl)})`, committed, typed };
    if ((ctrl & 0xf) > 6) return { ok: false, message: `decoder ${i}: invalid interleave granularity (ctrl: ${hex(ctrl)})`, committed, typed };
    if (!endpoint) await regs.read64(hdm + D.tlLo(i));
    else if (isCommitted) {
      if (size % ways) return { ok: false, message: `decoder ${i}: invalid committed configuration size: ${hex(size)} ways: ${ways}`, committed, typed };
      await regs.read64(hdm + D.tlLo(i));
    }
  }
  return { ok: true, message: `${count} decoder(s), ${committed} committed${typed ? `; Target Type written into ${typed} (${ruleCite(k, k.probe.decoderTargetTypeAtProbe)})` : ''}`, committed, typed };
}

/** read_cdat_data: length (handle 0), then every entry until handle 0xFFFF. */
async function readCdat61(ctx: SequenceContext, t: Target, off: number): Promise<{ ok: boolean; entries: number; bytes: number; error?: string }> {
  const sleep = (ns: number) => ctx.sleep(ns);
  const first = await doeExchange(t, off, CXL_VENDOR, 2, [CDAT_REQ(0)], 32, sleep);
  if (!first.ok || first.payload.length < 2) return { ok: false, entries: 0, bytes: 0, error: 'No CDAT length' };
  let length = first.payload[1]!;
  let handle = 0;
  let entries = 0;
  let bytes = 0;
  for (let guard = 0; guard < 4096; guard++) {
    const r = await doeExchange(t, off, CXL_VENDOR, 2, [CDAT_REQ(handle)], 32, sleep);
    if (!r.ok || !r.payload.length) return { ok: false, entries, bytes, error: 'CDAT data read error' };
    handle = (r.payload[0]! >>> 16) & 0xffff;
    const dw = Math.min(Math.floor(length / 4), r.payload.length - 1);
    length -= dw * 4;
    bytes += dw * 4;
    entries++;
    if (handle === 0xffff) break;
  }
  return { ok: true, entries, bytes };
}

/** cxl_dvsec_mem_range_valid / _active and the memdev status (cxl_await_media_ready). */
async function awaitMediaReady61(ctx: SequenceContext, e: Endpoint61, opt: LinuxProbeOptions): Promise<string | null> {
  const { t, dvsec: d } = e;
  const cap = await t.cfgRead(d + DV.cap, 2);
  const hdmCount = (cap >>> 4) & 3;
  for (let i = 0; i < hdmCount; i++) {
    let valid = false;
    for (let tries = 0; tries < 2 && !valid; tries++) {
      valid = ((await t.cfgRead(d + DV.sizeLo(i), 4)) & 1) !== 0;
      if (!valid) await ctx.sleep(NS_PER_S);
    }
    if (!valid) return `Timeout awaiting memory range ${i} valid after 1s.`;
  }
  for (let i = 0; i < hdmCount; i++) {
    let active = false;
    for (let left = opt.mediaReadyTimeoutS; left > 0 && !active; left--) {
      active = ((await t.cfgRead(d + DV.sizeLo(i), 4)) & 2) !== 0;
      if (!active) await ctx.sleep(NS_PER_S);
    }
    if (!active) return `timeout awaiting memory active after ${opt.mediaReadyTimeoutS} seconds`;
  }
  const md = await t.barRead64(e.mbox!.bar, e.mbox!.memdev);
  if (Number(md >> 2n) % 4 !== 1) return `media status not ready (Memory Device Status ${hex(md, 16)})`;
  return null;
}

/** The endpoint's cxl_port probe (after cxl_mem_probe attached it). */
export async function endpointPortProbe61(ctx: SequenceContext, log: StepLog, e: Endpoint61, k: KernelProfile, opt: LinuxProbeOptions): Promise<boolean> {
  const n = e.node;
  const t = e.t;
  const fail = (step: string, msg: string, errno: number, ev = ''): boolean => {
    log.fail(`${n}: ${step}`, `${msg} — ${probeFailed('cxl_port', n, errno)}`, ev);
    return false;
  };
  if (!e.component) return fail('HDM decoders', 'No component registers mapped', -6);
  const block = e.component;
  const regs: Rw32 = { read32: (o) => t.barRead(block.bar, block.offset + o, 4), write32: (o, v) => t.barWrite(block.bar, block.offset + o, 4, v >>> 0), read64: (o) => t.barRead64(block.bar, block.offset + o) };
  const h = await setupHdm61(regs);
  if ('error' in h) return fail('HDM decoders', h.error, -6);
  log.pass(`${n}: HDM decoder capability`, `${h.count} decoder(s)`);

  if (!e.cdatDoe) log.info(`${n}: CDAT`, 'No CDAT mailbox');
  else {
    const c = await readCdat61(ctx, t, e.cdatDoe);
    if (!c.ok) log.warn(`${n}: CDAT`, c.error ?? 'CDAT data read error');
    else log.pass(`${n}: CDAT`, `${c.bytes} B in ${c.entries} DOE reads`);
  }

  // cxl_hdm_decode_init → cxl_dvsec_rr_decode, then __cxl_hdm_decode_init.
  if (!e.dvsec) return fail('HDM decode init', 'No DVSEC Capability', -6);
  const cap = await t.cfgRead(e.dvsec + DV.cap, 2);
  const ctrl = await t.cfgRead(e.dvsec + DV.ctrl, 2);
  if (!(cap & 0x4)) return fail('HDM decode init', 'Not MEM Capable', -6);
  const hdmCount = (cap >>> 4) & 3;
  if (!hdmCount || hdmCount > 2) return fail('HDM decode init', `invalid HDM_Count ${hdmCount}`, -22);
  let valid = ((await t.cfgRead(e.dvsec + DV.sizeLo(0), 4)) & 1) !== 0;
  if (!valid) {
    await ctx.sleep(1500 * NS_PER_MS);
    valid = ((await t.cfgRead(e.dvsec + DV.sizeLo(0), 4)) & 1) !== 0;
  }
  if (!valid) return fail('HDM decode init', 'Failure awaiting MEM_INFO_VALID', -110);
  const memEnabled = (ctrl & 0x4) !== 0;
  if (memEnabled) {
    for (let i = 0; i < hdmCount; i++) {
      const sHi = await t.cfgRead(e.dvsec + DV.sizeHi(i), 4);
      const sLo = await t.cfgRead(e.dvsec + DV.sizeLo(i), 4);
      if (!sHi && !(sLo & 0xf000_0000)) continue;
      await t.cfgRead(e.dvsec + DV.baseHi(i), 4);
      await t.cfgRead(e.dvsec + DV.baseLo(i), 4);
    }
  }
  const global = await regs.read32(h.hdm + D.global);
  if (global & 2) {
    await setMemEnable(t, e.dvsec);
    log.pass(`${n}: HDM decode init`, 'HDM decoding already enabled by firmware; Mem_Enable set');
  } else if (memEnabled) return fail('HDM decode init', 'Legacy range registers configuration prevents HDM operation.', -16);
  else {
    const g = await regs.read32(h.hdm + D.global);
    await regs.write32(h.hdm + D.global, (g | 2) >>> 0);
    await setMemEnable(t, e.dvsec);
    log.pass(`${n}: HDM decode init`, 'HDM Decoder Enable and Mem_Enable set', `Global Control ${hex(g)}`);
  }

  const media = await awaitMediaReady61(ctx, e, opt);
  if (media) return fail('media ready', `${media}; Media not active (-110) (${ruleCite(k, k.probe.mediaReady)})`, -110);
  log.pass(`${n}: media ready`, `DVSEC ranges valid and active, media ready (${ruleCite(k, k.probe.mediaReady)})`);

  const d = await enumerateDecoders61(ctx, regs, h.hdm, h.count, true, k);
  if (!d.ok) return fail('decoders', `${d.message}; Couldn't enumerate decoders (-6)`, -6);
  log.pass(`${n}: decoders`, d.message);
  return true;
}

/** cxl_set_mem_enable: read Control, write only when Mem_Enable differs. */
async function setMemEnable(t: Target, d: number): Promise<void> {
  const c = await t.cfgRead(d + DV.ctrl, 2);
  if (c & 0x4) return;
  await t.cfgWrite(d + DV.ctrl, 2, (c & ~0x4) | 0x4);
}
