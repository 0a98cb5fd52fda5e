// PCI configuration space checks (PCIe Base 6.0 7.5, 7.9; CXL 2.0 8.1.12 for memory devices).

import { hex } from '../../core/bytes.js';
import { CAP, CXL_MEMORY_CLASS, EXT_CAP } from '../../core/pci.js';
import { cfgLoc, checkReadOnly, checkReadWrite, fail, pass, skip, verdict, type ConformanceCheck } from './check.js';

export const CONFIG_CHECKS: ConformanceCheck[] = [
  {
    id: 'cfg.vendor-id-valid',
    title: 'Vendor ID is a real vendor',
    spec: 'PCIe 6.0 7.5.1.1.1',
    rationale: 'FFFFh means the function does not answer; 0000h is not assigned.',
    run: async (e) => {
      const v = e.f.ids.vendor;
      return verdict(v !== 0xffff && v !== 0, `Vendor ID = ${hex(v, 4)}, Device ID = ${hex(e.f.ids.device, 4)}`);
    },
  },
  {
    id: 'cfg.ids-read-only',
    title: 'Vendor and Device ID are read-only',
    spec: 'PCIe 6.0 7.5.1.1.1-2',
    rationale: 'Identity registers are HwInit; a write must not change what drivers match on.',
    run: (e) => checkReadOnly(e, cfgLoc(0x00, 4, 'Vendor/Device ID')),
  },
  {
    id: 'cfg.class-code-memdev',
    title: 'Class code is CXL memory device (050210h)',
    spec: 'CXL 2.0 8.1.12.1',
    rationale: 'cxl_pci binds by class 0502h prog-if 10h; any other class and Linux never probes the device.',
    run: async (e) => verdict(e.f.ids.classCode === CXL_MEMORY_CLASS, `Class Code = ${hex(e.f.ids.classCode, 6)}`),
  },
  {
    id: 'cfg.class-code-read-only',
    title: 'Revision ID and Class Code are read-only',
    spec: 'PCIe 6.0 7.5.1.1.6-7',
    rationale: 'HwInit registers must ignore writes.',
    run: (e) => checkReadOnly(e, cfgLoc(0x08, 4, 'Revision/Class')),
  },
  {
    id: 'cfg.header-type-0',
    title: 'Header type is 0 (endpoint)',
    spec: 'PCIe 6.0 7.5.1.1.9',
    rationale: 'A Type 3 device is an endpoint function with a type 0 header.',
    run: async (e) => verdict(e.f.ids.headerType === 0, `Header Type [6:0] = ${e.f.ids.headerType}`),
  },
  {
    id: 'cfg.capability-list',
    title: 'Capability list present and well formed',
    spec: 'PCIe 6.0 7.5.1.1.4, 7.5.1.2.2',
    rationale: 'Status bit 4 must be set and every pointer dword aligned at or above 40h; PCIe functions need the list.',
    run: async (e) => {
      const status = await e.t.cfgRead(0x06, 2);
      const caps = e.f.caps;
      const bad = caps.filter((c) => c.offset < 0x40 || c.offset & 3);
      return verdict(!!(status & 0x10) && caps.length > 0 && bad.length === 0, `Status = ${hex(status, 4)}; caps at ${caps.map((c) => `${hex(c.id, 2)}@${hex(c.offset, 2)}`).join(', ')}`);
    },
  },
  {
    id: 'cfg.pcie-capability-endpoint',
    title: 'PCI Express capability says Endpoint',
    spec: 'PCIe 6.0 7.5.3.2',
    rationale: 'Device/Port Type 0000b for a PCIe endpoint; Linux walks the topology with it.',
    run: async (e) => {
      const c = e.f.caps.find((x) => x.id === CAP.pcie);
      if (!c) return fail('no PCI Express capability');
      const v = await e.t.cfgRead(c.offset + 2, 2);
      return verdict(((v >>> 4) & 0xf) === 0, `PCIe Capabilities = ${hex(v, 4)} (Device/Port Type ${(v >>> 4) & 0xf})`);
    },
  },
  {
    id: 'cfg.pcie-capabilities-read-only',
    title: 'PCIe Capabilities register is read-only',
    spec: 'PCIe 6.0 7.5.3.2',
    rationale: 'RO/HwInit; a write must not change the port type or version.',
    run: async (e) => {
      const c = e.f.caps.find((x) => x.id === CAP.pcie);
      return checkReadOnly(e, c ? cfgLoc(c.offset + 2, 2, 'PCIe Capabilities') : null);
    },
  },
  {
    id: 'cfg.ext-capability-list',
    title: 'Extended capability list terminates',
    spec: 'PCIe 6.0 7.6.3',
    rationale: 'Next pointers must be dword aligned, ascend within 4 KiB and end with 0; a loop hangs enumeration.',
    run: async (e) => {
      const list = e.f.extCaps;
      if (!list.length) return fail('no extended capabilities at 100h');
      const last = list[list.length - 1]!;
      const next = (await e.t.cfgRead(last.offset, 4)) >>> 20;
      return verdict(next === 0 && list.every((c) => !(c.offset & 3)), `${list.length} capabilities, last at ${hex(last.offset, 3)} with next ${hex(next, 3)}`);
    },
  },
  {
    id: 'cfg.dsn-present',
    title: 'Device Serial Number capability present',
    spec: 'CXL 2.0 8.1.12.2; PCIe 6.0 7.9.3',
    rationale: 'Linux takes the memdev serial from the DSN; without it every device reports serial 0.',
    run: async (e) => {
      const c = e.f.extCaps.find((x) => x.id === EXT_CAP.dsn);
      if (!c) return fail('no DSN extended capability');
      const lo = await e.t.cfgRead(c.offset + 4, 4);
      const hi = await e.t.cfgRead(c.offset + 8, 4);
      return verdict(lo !== 0 || hi !== 0, `DSN @${hex(c.offset, 3)} = ${hex(hi)}${hex(lo).slice(2)}`);
    },
  },
  {
    id: 'cfg.dsn-read-only',
    title: 'Serial number registers are read-only',
    spec: 'PCIe 6.0 7.9.3.2',
    rationale: 'The serial identifies the device across reboots; writes must not alter it.',
    run: async (e) => {
      const c = e.f.extCaps.find((x) => x.id === EXT_CAP.dsn);
      if (!c) return skip('no DSN');
      const a = await checkReadOnly(e, cfgLoc(c.offset + 4, 4, 'Serial Number Low'));
      const b = await checkReadOnly(e, cfgLoc(c.offset + 8, 4, 'Serial Number High'));
      return verdict(a.verdict === 'pass' && b.verdict === 'pass', `${a.evidence}; ${b.evidence}`);
    },
  },
  {
    id: 'cfg.command-memory-enable',
    title: 'Command register Memory Space Enable is RW',
    spec: 'PCIe 6.0 7.5.1.1.3',
    rationale: 'The host must be able to enable MMIO decode of the BARs.',
    run: (e) => checkReadWrite(e, cfgLoc(0x04, 2, 'Command'), 0x0002),
  },
  {
    id: 'cfg.status-no-spurious-set',
    title: 'Writing ones to Status sets nothing',
    spec: 'PCIe 6.0 7.5.1.1.4',
    rationale: 'Status error bits are RW1C and the rest RO: a write of ones may only clear.',
    run: async (e) => {
      const before = await e.t.cfgRead(0x06, 2);
      await e.t.cfgWrite(0x06, 2, 0xffff);
      const after = await e.t.cfgRead(0x06, 2);
      return verdict((after & ~before & 0xffff) === 0, `Status ${hex(before, 4)} → after writing FFFFh ${hex(after, 4)}`);
    },
  },
  {
    id: 'cfg.bar0-64k',
    title: 'BAR holding the component registers is at least 64 KiB',
    spec: 'CXL 2.0 8.2.3',
    rationale: 'The component register block is 64 KiB; a smaller BAR cannot hold it (Linux: "BAR too small").',
    run: async (e) => {
      const comp = e.f.regLocator.blocks.find((b) => b.rbi === 1);
      if (!comp) return skip('no component block');
      const reg = 0x10 + 4 * comp.bar;
      const orig = await e.t.cfgRead(reg, 4);
      const cmd = await e.t.cfgRead(0x04, 2);
      await e.t.cfgWrite(0x04, 2, cmd & ~0x2);
      await e.t.cfgWrite(reg, 4, 0xffff_ffff);
      const mask = await e.t.cfgRead(reg, 4);
      await e.t.cfgWrite(reg, 4, orig);
      await e.t.cfgWrite(0x04, 2, cmd);
      const size = (~(mask & 0xffff_fff0) + 1) >>> 0;
      if (mask & 1) return fail(`BAR${comp.bar} is an I/O BAR (${hex(mask)})`);
      return verdict(size === 0 || size >= comp.offset + 0x10000, `BAR${comp.bar} sizing mask ${hex(mask)} → ${size ? `${size} B` : '≥ 4 GiB'} for block at ${hex(comp.offset)}`);
    },
  },
];
