// CXL DVSEC checks: DVSEC for CXL Devices (CXL 2.0 8.1.3), Register Locator (8.1.9), Flex Bus (8.2.1.3), GPF
// (8.1.7), framing (PCIe 6.0 7.9.6).

import { hex } from '../../core/bytes.js';
import { DVSEC0 } from '../../core/memdev.js';
import { CXL_VENDOR_ID, DVSEC } from '../../core/pci.js';
import { cfgLoc, checkReadOnly, checkReadWrite, checkReservedZero, fail, pass, skip, verdict, type ConformanceCheck } from './check.js';

const cxlDvsecs = (e: Parameters<ConformanceCheck['run']>[0]) => e.f.dvsecs.filter((d) => d.vendor === CXL_VENDOR_ID);

export const DVSEC_CHECKS: ConformanceCheck[] = [
  {
    id: 'dvsec.ids-known',
    title: 'Every CXL DVSEC has a defined ID',
    spec: 'CXL 2.0 Table 124',
    rationale: 'IDs 1 and 6 are reserved; software skips unknown IDs, so a typo hides a structure.',
    run: async (e) => {
      const d = cxlDvsecs(e);
      const bad = d.filter((x) => ![0, 2, 3, 4, 5, 7, 8, 9, 10].includes(x.id));
      return verdict(d.length > 0 && bad.length === 0, d.map((x) => `ID ${x.id} @${hex(x.offset, 3)}`).join(', ') || 'no CXL DVSECs');
    },
  },
  {
    id: 'dvsec0.present',
    title: 'PCIe DVSEC for CXL Devices (ID 0) present',
    spec: 'CXL 2.0 8.1.3',
    rationale: 'Without it Linux logs "Device DVSEC not present, skip CXL.mem init".',
    run: async (e) => verdict(e.dvsec0 !== 0, e.dvsec0 ? `at ${hex(e.dvsec0, 3)}` : 'absent'),
  },
  {
    id: 'dvsec0.length-revision',
    title: 'DVSEC 0 length matches its revision',
    spec: 'CXL 2.0 8.1.3 (38h, rev 1); CXL 3.x (3Ch, rev ≥ 2)',
    rationale: 'Software sizes the structure from the header; a wrong length misplaces later fields.',
    run: async (e) => {
      const d = cxlDvsecs(e).find((x) => x.id === DVSEC.cxlDevice);
      if (!d) return skip('no DVSEC 0');
      const ok = (d.revision === 1 && d.length === 0x38) || (d.revision >= 2 && d.length === 0x3c);
      return verdict(ok, `revision ${d.revision}, length ${hex(d.length, 2)}`);
    },
  },
  {
    id: 'dvsec0.mem-capable',
    title: 'Mem_Capable set with HDM_Count 1 or 2',
    spec: 'CXL 2.0 8.1.3.1',
    rationale: 'cxl_dvsec_rr_decode rejects a device that is not Mem_Capable or has HDM_Count 0 or 3.',
    run: async (e) => {
      if (!e.dvsec0) return skip('no DVSEC 0');
      const cap = await e.t.cfgRead(e.dvsec0 + DVSEC0.cap, 2);
      const n = (cap >>> 4) & 3;
      return verdict(!!(cap & 4) && (n === 1 || n === 2), `CXL Capability = ${hex(cap, 4)} (Mem_Capable ${(cap >>> 2) & 1}, HDM_Count ${n})`);
    },
  },
  {
    id: 'dvsec0.capability-read-only',
    title: 'CXL Capability register is read-only',
    spec: 'CXL 2.0 8.1.3.1',
    rationale: 'RO/HwInit: capabilities cannot be changed by software.',
    run: (e) => checkReadOnly(e, e.dvsec0 ? cfgLoc(e.dvsec0 + DVSEC0.cap, 2, 'CXL Capability') : null),
  },
  {
    id: 'dvsec0.range-size-read-only',
    title: 'Range 1 Size registers are read-only',
    spec: 'CXL 2.0 8.1.3.8.1-2',
    rationale: 'Size, Memory_Info_Valid and Memory_Active are device-reported; Linux waits on them.',
    run: async (e) => {
      if (!e.dvsec0) return skip('no DVSEC 0');
      const a = await checkReadOnly(e, cfgLoc(e.dvsec0 + DVSEC0.rangeSizeHi(0), 4, 'Range 1 Size High'));
      const b = await checkReadOnly(e, cfgLoc(e.dvsec0 + DVSEC0.rangeSizeLo(0), 4, 'Range 1 Size Low'));
      return verdict(a.verdict === 'pass' && b.verdict === 'pass', `${a.evidence}; ${b.evidence}`);
    },
  },
  {
    id: 'dvsec0.range-size-reserved',
    title: 'Range 1 Size Low reserved bits [27:17] read zero',
    spec: 'CXL 2.0 8.1.3.8.2',
    rationale: 'Size is in 256 MiB units ([31:28]); bits [27:16] are reserved (bit 16 is Memory_Active_Degraded in r3.x).',
    run: (e) => checkReservedZero(e, e.dvsec0 ? cfgLoc(e.dvsec0 + DVSEC0.rangeSizeLo(0), 4, 'Range 1 Size Low') : null, 0x0ffe_0000, false),
  },
  {
    id: 'dvsec0.range-base-reserved',
    title: 'Range 1 Base Low bits [27:0] read zero',
    spec: 'CXL 2.0 8.1.3.8.4',
    rationale: 'The base is 256 MiB aligned; low bits are reserved and must not stick.',
    run: (e) => checkReservedZero(e, e.dvsec0 ? cfgLoc(e.dvsec0 + DVSEC0.rangeBaseLo(0), 4, 'Range 1 Base Low') : null, 0x0fff_ffff),
  },
  {
    id: 'dvsec0.memory-info-valid',
    title: 'Range 1 reports Memory_Info_Valid',
    spec: 'CXL 2.0 8.1.3.8.2',
    rationale: 'Linux gives up after 1 s: "Timeout awaiting memory range 0 valid after 1s."',
    run: async (e) => {
      if (!e.dvsec0) return skip('no DVSEC 0');
      const lo = await e.t.cfgRead(e.dvsec0 + DVSEC0.rangeSizeLo(0), 4);
      return verdict(!!(lo & 1), `Range 1 Size Low = ${hex(lo)}`);
    },
  },
  {
    id: 'dvsec0.mem-enable-rw',
    title: 'Mem_Enable is writable while unlocked',
    spec: 'CXL 2.0 8.1.3.2',
    rationale: 'Linux sets Mem_Enable when it takes over HDM decode (devm_cxl_enable_mem).',
    run: async (e) => {
      if (!e.dvsec0) return skip('no DVSEC 0');
      const lock = await e.t.cfgRead(e.dvsec0 + DVSEC0.lock, 2);
      if (lock & 1) return skip(`CONFIG_LOCK set (${hex(lock, 4)})`);
      return checkReadWrite(e, cfgLoc(e.dvsec0 + DVSEC0.ctrl, 2, 'CXL Control'), 0x0004);
    },
  },
  {
    id: 'dvsec0.control-reserved',
    title: 'CXL Control bit 15 is reserved',
    spec: 'CXL 2.0 8.1.3.2',
    rationale: 'Reserved bits read zero even after software writes one (RsvdP).',
    run: (e) => checkReservedZero(e, e.dvsec0 ? cfgLoc(e.dvsec0 + DVSEC0.ctrl, 2, 'CXL Control') : null, 0x8000),
  },
  {
    id: 'dvsec8.present-length',
    title: 'Register Locator present with whole entries',
    spec: 'CXL 2.0 8.1.9',
    rationale: 'Length = 0Ch + 8 × entries; Linux computes the entry count from it.',
    run: async (e) => {
      const d = cxlDvsecs(e).find((x) => x.id === DVSEC.registerLocator);
      if (!d) return fail('no Register Locator DVSEC');
      return verdict(d.length >= 0x14 && (d.length - 0x0c) % 8 === 0, `length ${hex(d.length, 2)} → ${(d.length - 0x0c) / 8} entries`);
    },
  },
  {
    id: 'regloc.memdev-block',
    title: 'Exactly one memory device register block (RBI 3)',
    spec: 'CXL 2.0 8.1.9.1',
    rationale: 'cxl_pci fails the probe without the device registers.',
    run: async (e) => {
      const n = e.f.regLocator.blocks.filter((b) => b.rbi === 3).length;
      return verdict(n === 1, `${n} block(s) with RBI 3`);
    },
  },
  {
    id: 'regloc.component-block',
    title: 'Component register block (RBI 1) present',
    spec: 'CXL 2.0 8.1.9.1',
    rationale: 'Without it there are no HDM decoders or RAS: "No component registers".',
    run: async (e) => verdict(e.f.regLocator.blocks.some((b) => b.rbi === 1), e.f.regLocator.blocks.map((b) => `RBI ${b.rbi}`).join(', ')),
  },
  {
    id: 'regloc.entries-sane',
    title: 'Register Locator entries: valid BIR, 64 KiB aligned, reserved bits zero',
    spec: 'CXL 2.0 8.1.9.1',
    rationale: 'BIR 0-5 names a BAR; offsets are 64 KiB units; bits [7:3] are reserved.',
    run: async (e) => {
      const bad = e.f.regLocator.blocks.filter((b) => b.bar > 5 || (b.lo & 0xf8) !== 0 || b.offset % 0x10000 !== 0);
      return verdict(e.f.regLocator.blocks.length > 0 && bad.length === 0, e.f.regLocator.blocks.map((b) => `lo ${hex(b.lo)} hi ${hex(b.hi)}`).join('; '));
    },
  },
  {
    id: 'regloc.read-only',
    title: 'Register Locator entries are read-only',
    spec: 'CXL 2.0 8.1.9.1',
    rationale: 'HwInit: software cannot move register blocks.',
    run: (e) => checkReadOnly(e, e.dvsec8 ? cfgLoc(e.dvsec8 + 0x0c, 4, 'Register Offset Low 0') : null),
  },
  {
    id: 'dvsec7.flex-bus-present',
    title: 'Flex Bus Port DVSEC (ID 7) present',
    spec: 'CXL 2.0 8.2.1.3',
    rationale: 'Every CXL port and device reports its negotiated protocols there.',
    run: async (e) => {
      const d = cxlDvsecs(e).find((x) => x.id === DVSEC.flexBusPort);
      if (!d) return fail('no Flex Bus DVSEC');
      return verdict(d.length === 0x14 || d.length === 0x20, `revision ${d.revision}, length ${hex(d.length, 2)}`);
    },
  },
  {
    id: 'dvsec5.gpf-device-present',
    title: 'GPF DVSEC for CXL Devices (ID 5) present',
    spec: 'CXL 2.0 8.1.7',
    rationale: 'Required on CXL.mem devices so the host can budget Global Persistent Flush.',
    run: async (e) => {
      const d = cxlDvsecs(e).find((x) => x.id === DVSEC.gpfDevice);
      return d ? verdict(d.length === 0x10, `length ${hex(d.length, 2)}`) : fail('no GPF DVSEC for devices');
    },
  },
];
void pass;
