// Component register checks: CXL.cache/mem capability array (CXL 2.0 8.2.5.1), RAS (8.2.5.9) and the HDM
// decoder structure with its commit rules (8.2.5.12, 8.2.5.12.20). Commit checks program, verify and reset the
// decoders they use, uncommitted, with Lock On Commit clear, so the device is left as found.

import { hex } from '../../core/bytes.js';
import { CTRL, HDM, HDM_DECODER_ENABLE, hdmAwaitCommit, hdmCommitDecoder, hdmReadCaps, hdmReadDecoder, hdmResetDecoder, hdmWrite, type HdmAt } from '../../core/hdm.js';
import { barComponentAccess, CMCAP, CXL_CM_OFFSET } from '../../core/regs.js';
import { barLoc, checkReadOnly, checkReadWrite, checkReservedZero, checkRw1c, fail, pass, skip, verdict, type CheckEnv, type CheckResult, type ConformanceCheck } from './check.js';

const GiB = 2 ** 30;
const UNIT = 256 * 2 ** 20;

const comp = (e: CheckEnv) => e.f.component;
const hdmAt = (e: CheckEnv): HdmAt | null => (e.hdm ? { regs: barComponentAccess(e.t, e.hdm.bar, 0), base: e.hdm.at } : null);

/** Run `body` with HDM decoding enabled and all decoders it touches reset afterwards. */
async function withDecoders(e: CheckEnv, need: number, body: (h: HdmAt) => Promise<CheckResult>): Promise<CheckResult> {
  const h = hdmAt(e);
  if (!h) return skip('no HDM decoder capability');
  const caps = await hdmReadCaps(h);
  if (caps.decoderCount < need) return skip(`needs ${need} decoders, device has ${caps.decoderCount}`);
  for (let i = 0; i < caps.decoderCount; i++) if ((await hdmReadDecoder(h, i)).committed) return skip(`decoder ${i} is already committed (in use); commit checks need idle decoders`);
  const global = await h.regs.read32(h.base + HDM.globalCtrl);
  await hdmWrite(h, HDM.globalCtrl, global | HDM_DECODER_ENABLE);
  try {
    return await body(h);
  } finally {
    for (let i = need - 1; i >= 0; i--) await hdmResetDecoder(h, i);
    await hdmWrite(h, HDM.globalCtrl, global);
  }
}

export const COMPONENT_CHECKS: ConformanceCheck[] = [
  {
    id: 'cm.cap-array-header',
    title: 'CXL.cache/mem capability header: ID 1, version 1',
    spec: 'CXL 2.0 8.2.5.1',
    rationale: 'Linux checks ID 1 at component +1000h before it trusts any pointer.',
    run: async (e) => {
      const c = comp(e);
      if (!c) return skip('no component block');
      const a = c.array;
      return verdict(a.capId === 1 && a.version === 1 && a.cacheMemVersion >= 1 && a.arraySize >= 1, `header ${hex(a.raw)} (ID ${a.capId}, version ${a.version}, cache/mem version ${a.cacheMemVersion}, array size ${a.arraySize})`);
    },
  },
  {
    id: 'cm.cap-pointers',
    title: 'Capability pointers lie inside the 4 KiB cache/mem range and do not repeat',
    spec: 'CXL 2.0 8.2.5.1',
    rationale: 'A pointer outside the range or two IDs at one offset corrupt each other.',
    run: async (e) => {
      const c = comp(e);
      if (!c) return skip('no component block');
      const ptrs = c.array.caps.map((x) => x.pointer);
      const bad = c.array.caps.filter((x) => x.id !== 0 && (x.pointer === 0 || x.pointer & 3 || x.pointer >= 0x1000));
      return verdict(bad.length === 0 && new Set(ptrs).size === ptrs.length, c.array.caps.map((x) => `ID ${x.id} @${hex(x.pointer, 3)}`).join(', '));
    },
  },
  {
    id: 'cm.ras-present',
    title: 'RAS capability present',
    spec: 'CXL 2.0 8.2.5.9',
    rationale: 'Mandatory for CXL.mem devices; Linux maps it for error handling.',
    run: async (e) => verdict(!!comp(e)?.array.caps.some((x) => x.id === CMCAP.ras), comp(e) ? 'ID 2 listed' : 'no component block'),
  },
  {
    id: 'cm.hdm-present',
    title: 'HDM decoder capability present',
    spec: 'CXL 2.0 8.2.5.12',
    rationale: 'Linux: "HDM decoder registers not found" and no region can use the device.',
    run: async (e) => verdict(!!e.hdm, e.hdm ? `at BAR${e.hdm.bar}+${hex(e.hdm.at)}` : 'absent'),
  },
  {
    id: 'cm.cap-array-read-only',
    title: 'Capability array header is read-only',
    spec: 'CXL 2.0 8.2.5.1',
    rationale: 'RO: software must not be able to move capabilities.',
    run: (e) => checkReadOnly(e, comp(e) ? barLoc(comp(e)!.bar, comp(e)!.base + CXL_CM_OFFSET, 4, 'CXL Capability Header') : null),
  },
  {
    id: 'ras.ue-status-rw1c',
    title: 'Uncorrectable Error Status is RW1C',
    spec: 'CXL 2.0 8.2.5.9.1',
    rationale: 'Writing ones clears logged errors and never sets new ones.',
    run: (e) => checkRw1c(e, e.ras ? barLoc(e.ras.bar, e.ras.at + 0x00, 4, 'UE Status') : null, 0x0001_cfff),
  },
  {
    id: 'ras.ce-status-rw1c',
    title: 'Correctable Error Status is RW1C',
    spec: 'CXL 2.0 8.2.5.9.4',
    rationale: 'Writing ones clears logged errors and never sets new ones.',
    run: (e) => checkRw1c(e, e.ras ? barLoc(e.ras.bar, e.ras.at + 0x0c, 4, 'CE Status') : null, 0x7f),
  },
  {
    id: 'ras.ue-status-reserved',
    title: 'Uncorrectable Error Status reserved bits read zero',
    spec: 'CXL 2.0 8.2.5.9.1',
    rationale: 'Bits [31:17] and [13:12] are reserved.',
    run: (e) => checkReservedZero(e, e.ras ? barLoc(e.ras.bar, e.ras.at, 4, 'UE Status') : null, 0xfffe_3000),
  },
  {
    id: 'ras.ce-status-reserved',
    title: 'Correctable Error Status reserved bits read zero',
    spec: 'CXL 2.0 8.2.5.9.4',
    rationale: 'Bits [31:7] are reserved.',
    run: (e) => checkReservedZero(e, e.ras ? barLoc(e.ras.bar, e.ras.at + 0x0c, 4, 'CE Status') : null, 0xffff_ff80),
  },
  {
    id: 'ras.ue-mask-rw',
    title: 'Uncorrectable Error Mask bits are writable',
    spec: 'CXL 2.0 8.2.5.9.2',
    rationale: 'Linux unmasks RAS reporting at probe (cxl_pci_ras_unmask, 6.8–6.12).',
    kernelRule: (k) => k.probe.rasUnmask,
    run: (e) => checkReadWrite(e, e.ras ? barLoc(e.ras.bar, e.ras.at + 0x04, 4, 'UE Mask') : null, 0x0000_0fff),
  },
  {
    id: 'hdm.decoder-count',
    title: 'Decoder Count encoding valid for an endpoint',
    spec: 'CXL 2.0 8.2.5.12.1',
    rationale: 'Devices report encodings 0h-5h (1-10 decoders); 6h-Ch are defined for switches and host bridges only.',
    run: async (e) => {
      const h = hdmAt(e);
      if (!h) return skip('no HDM decoders');
      const c = await hdmReadCaps(h);
      return verdict((c.raw & 0xf) <= 5, `HDM Decoder Capability = ${hex(c.raw)} (Decoder Count field ${c.raw & 0xf} → ${c.decoderCount})`);
    },
  },
  {
    id: 'hdm.capability-read-only',
    title: 'HDM Decoder Capability register is read-only',
    spec: 'CXL 2.0 8.2.5.12.1',
    rationale: 'RO: decoder count and interleave capabilities are fixed by hardware.',
    run: (e) => checkReadOnly(e, e.hdm ? barLoc(e.hdm.bar, e.hdm.at, 4, 'HDM Decoder Capability') : null),
  },
  {
    id: 'hdm.global-control',
    title: 'Global Control: HDM Decoder Enable RW, bits [31:2] reserved',
    spec: 'CXL 2.0 8.2.5.12.2',
    rationale: 'Linux sets HDM Decoder Enable when it takes over from the DVSEC ranges.',
    run: async (e) => {
      const l = e.hdm ? barLoc(e.hdm.bar, e.hdm.at + 4, 4, 'HDM Decoder Global Control') : null;
      const a = await checkReadWrite(e, l, HDM_DECODER_ENABLE);
      const b = await checkReservedZero(e, l, 0xffff_fffc);
      return { verdict: a.verdict === 'fail' || b.verdict === 'fail' ? 'fail' : a.verdict, evidence: `${a.evidence}; ${b.evidence}` };
    },
  },
  {
    id: 'hdm.base-low-reserved',
    title: 'Decoder 0 Base Low bits [27:0] are reserved',
    spec: 'CXL 2.0 8.2.5.12.3',
    rationale: 'Bases are 256 MiB aligned: low bits must not stick.',
    run: (e) => checkReservedZero(e, e.hdm ? barLoc(e.hdm.bar, e.hdm.at + HDM.baseLo(0), 4, 'Decoder 0 Base Low') : null, 0x0fff_ffff),
  },
  {
    id: 'hdm.size-low-reserved',
    title: 'Decoder 0 Size Low bits [27:0] are reserved',
    spec: 'CXL 2.0 8.2.5.12.5',
    rationale: 'Sizes are multiples of 256 MiB: low bits must not stick.',
    run: (e) => checkReservedZero(e, e.hdm ? barLoc(e.hdm.bar, e.hdm.at + HDM.sizeLo(0), 4, 'Decoder 0 Size Low') : null, 0x0fff_ffff),
  },
  {
    id: 'hdm.committed-read-only',
    title: 'Committed and Error Not Committed are read-only',
    spec: 'CXL 2.0 8.2.5.12.7',
    rationale: 'Only the device reports commit state; software writes must not fake it.',
    run: async (e) => {
      const h = hdmAt(e);
      if (!h) return skip('no HDM decoders');
      const d = await hdmReadDecoder(h, 0);
      if (d.committed) return skip('decoder 0 in use');
      await hdmWrite(h, HDM.ctrl(0), (d.ctrl | CTRL.committed | CTRL.errNotCommitted) & ~CTRL.commit);
      const after = await hdmRead32(h, HDM.ctrl(0));
      await hdmWrite(h, HDM.ctrl(0), d.ctrl);
      return verdict(!(after & (CTRL.committed | CTRL.errNotCommitted)), `Decoder 0 Control ${hex(d.ctrl)} → after writing bits 10-11 ${hex(after)}`);
    },
  },
  {
    id: 'hdm.commit-and-reset',
    title: 'A valid 1-way programming commits within 10 ms and decommits',
    spec: 'CXL 2.0 8.2.5.12.7, 8.2.5.12.20',
    rationale: 'Linux polls Committed for 10 ms (cxld_await_commit) and clears Commit on teardown.',
    run: (e) =>
      withDecoders(e, 1, async (h) => {
        const r = await hdmCommitDecoder(h, 0, { base: 4 * GiB, size: UNIT, ways: 1, granularity: 256, skip: 0 }, e.sleep);
        if (!r.ok) return fail(`commit failed: ${r.evidence}`);
        const after = await hdmResetDecoder(h, 0);
        return verdict(!(after & CTRL.committed), `${r.evidence} after ${r.polls} poll(s); after reset Control = ${hex(after)}`);
      }),
  },
  {
    id: 'hdm.commit-reserved-iw',
    title: 'Commit with a reserved IW encoding sets Error Not Committed',
    spec: 'CXL 2.0 8.2.5.12.7',
    rationale: 'IW 5 is reserved; committing it must fail rather than decode garbage.',
    run: (e) =>
      withDecoders(e, 1, async (h) => {
        await hdmWrite(h, HDM.baseHi(0), 1);
        await hdmWrite(h, HDM.baseLo(0), 0);
        await hdmWrite(h, HDM.sizeHi(0), 0);
        await hdmWrite(h, HDM.sizeLo(0), UNIT);
        await hdmWrite(h, HDM.ctrl(0), (5 << 4) | CTRL.commit | CTRL.hostOnly);
        const r = await hdmAwaitCommit(h, 0, e.sleep);
        return verdict(r.errno === -5, `${r.evidence} (${r.errno === -5 ? 'Error Not Committed' : r.ok ? 'committed' : 'timeout'})`);
      }),
  },
  {
    id: 'hdm.commit-out-of-order',
    title: 'Committing decoder 1 before decoder 0 sets Error Not Committed',
    spec: 'CXL 2.0 8.2.5.12.20',
    rationale: 'Decoders must be committed in index order; Linux enforces it and so must hardware.',
    run: (e) =>
      withDecoders(e, 2, async (h) => {
        const r = await hdmCommitDecoder(h, 1, { base: 4 * GiB, size: UNIT, ways: 1, granularity: 256, skip: 0 }, e.sleep);
        return verdict(r.errno === -5, `decoder 1 alone: ${r.evidence}`);
      }),
  },
  {
    id: 'hdm.commit-decreasing-hpa',
    title: 'Decoder 1 below decoder 0 in HPA sets Error Not Committed',
    spec: 'CXL 2.0 8.2.5.12.20',
    rationale: 'HPA ranges must increase with the decoder index.',
    run: (e) =>
      withDecoders(e, 2, async (h) => {
        const a = await hdmCommitDecoder(h, 0, { base: 8 * GiB, size: UNIT, ways: 1, granularity: 256, skip: 0 }, e.sleep);
        if (!a.ok) return fail(`decoder 0 did not commit: ${a.evidence}`);
        const b = await hdmCommitDecoder(h, 1, { base: 4 * GiB, size: UNIT, ways: 1, granularity: 256, skip: 0 }, e.sleep);
        return verdict(b.errno === -5, `decoder 0 at 8 GiB committed; decoder 1 at 4 GiB: ${b.evidence}`);
      }),
  },
  {
    id: 'hdm.commit-unaligned-size',
    title: 'A size that is not a multiple of 256 MiB × ways does not commit',
    spec: 'CXL 2.0 8.2.5.12.20',
    rationale: '2-way interleave of a 256 MiB range leaves half a unit per device.',
    run: (e) =>
      withDecoders(e, 1, async (h) => {
        const r = await hdmCommitDecoder(h, 0, { base: 4 * GiB, size: UNIT, ways: 2, granularity: 256, skip: 0 }, e.sleep);
        return verdict(r.errno === -5, r.evidence);
      }),
  },
];

const hdmRead32 = (h: HdmAt, off: number): Promise<number> => h.regs.read32(h.base + off);
void pass;
