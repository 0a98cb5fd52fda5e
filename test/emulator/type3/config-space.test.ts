import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../common/clock.js';
import { defaultType3Config, type Type3Config } from '../../../emulator/type3/config.js';
import { createType3 } from '../../../emulator/type3/type3-device.js';
import { resolveBlock } from '../../../emulator/spec/blocks.js';
import { findDvsec, walkCaps, walkDvsecs, walkExtCaps } from './helpers.js';

const make = (over: Partial<Type3Config> = {}) => createType3({ ...defaultType3Config(), ...over }, new VirtualClock());

describe('Type 3 config space', () => {
  it('spec profile: CXL memory device class code 0x050210 and the documented IDs', () => {
    const { fn } = make();
    expect(fn.cfgRead(0, 2)).toBe(0x1e98);
    expect(fn.cfgRead(0x09, 1)).toBe(0x10);
    expect(fn.cfgRead(0x08, 4) >>> 8).toBe(0x050210);
    expect(fn.cfgRead(0x06, 2) & 0x10).toBe(0x10); // Capabilities List
  });

  it('qemu profile uses QEMU IDs 8086:0d93', () => {
    const { fn } = make({ profile: 'qemu' });
    expect(fn.cfgRead(0, 4)).toBe(0x0d93_8086);
  });

  it('BAR sizing by writing all-ones: 64-bit BAR0 64 KiB, BAR2 and BAR4 sized, BAR1 is BAR0 high', () => {
    const { fn } = make();
    for (const off of [0x10, 0x14, 0x18, 0x1c, 0x20, 0x24]) fn.cfgWrite(off, 4, 0xffff_ffff);
    expect(fn.cfgRead(0x10, 4)).toBe((~(0x10000 - 1) | 0x4) >>> 0);
    expect(fn.cfgRead(0x14, 4)).toBe(0xffff_ffff);
    const bar2 = fn.cfgRead(0x18, 4);
    expect(bar2 & 0xf).toBe(0x4);
    const size2 = (~(bar2 & ~0xf) + 1) >>> 0;
    expect(size2).toBe(fn.barSizes()[2]);
    expect(fn.cfgRead(0x20, 4)).toBe((~(0x1000 - 1) | 0x4) >>> 0);
    fn.cfgWrite(0x10, 4, 0xfe01_0000);
    expect(fn.cfgRead(0x10, 4)).toBe(0xfe01_0004);
  });

  it('command register takes memory/bus-master enables and keeps hardwired bits; status is RW1C', () => {
    const { fn } = make();
    fn.cfgWrite(0x04, 2, 0xffff);
    expect(fn.cfgRead(0x04, 2)).toBe(0x0546);
    fn.cfgWrite(0x06, 2, 0xffff);
    expect(fn.cfgRead(0x06, 2)).toBe(0x0010);
  });

  it('capability list walk: PM, MSI-X, PCIe (spec); MSI-X at 0x40, PCIe at 0x80 (qemu)', () => {
    expect(walkCaps(make().fn).map(([, id]) => id)).toEqual([0x01, 0x11, 0x10]);
    expect(walkCaps(make({ profile: 'qemu' }).fn)).toEqual([
      [0x40, 0x11],
      [0x80, 0x10],
    ]);
  });

  it('PCIe capability reports endpoint type and link speed/width', () => {
    const { fn } = make();
    const at = walkCaps(fn).find(([, id]) => id === 0x10)![0];
    expect((fn.cfgRead(at + 2, 2) >> 4) & 0xf).toBe(0);
    const lnksta = fn.cfgRead(at + 0x12, 2);
    expect(lnksta & 0xf).toBe(5);
    expect((lnksta >> 4) & 0x3f).toBe(16);
  });

  it('extended capability walk: AER, DSN with the serial, DOE and four DVSECs', () => {
    const { fn } = make({ serial: 0x1122_3344_5566_7788n });
    const ids = walkExtCaps(fn).map(([, id]) => id);
    expect(ids).toEqual([0x1, 0x3, 0x2e, 0x23, 0x23, 0x23, 0x23]);
    const dsn = walkExtCaps(fn).find(([, id]) => id === 3)![0];
    expect(fn.cfgRead(dsn + 4, 4)).toBe(0x5566_7788);
    expect(fn.cfgRead(dsn + 8, 4)).toBe(0x1122_3344);
  });

  it('DVSEC walk: IDs 0, 8, 5, 7 with CXL 2.0 revisions/lengths (spec) and r3.1 forms (qemu)', () => {
    expect(walkDvsecs(make().fn).map(([, id, rev, len]) => [id, rev, len])).toEqual([
      [0, 1, 0x38],
      [8, 0, 0x1c],
      [5, 0, 0x10],
      [7, 1, 0x14],
    ]);
    const q = walkDvsecs(make({ profile: 'qemu' }).fn);
    expect(q[0][0]).toBe(0x10c);
    expect(q.map(([, id, rev, len]) => [id, rev, len])).toEqual([
      [0, 3, 0x3c],
      [8, 0, 0x24],
      [5, 0, 0x10],
      [7, 2, 0x20],
    ]);
  });

  it('register locator points at BAR0 component registers and BAR2 device registers', () => {
    const { fn } = make();
    const rl = findDvsec(fn, 8);
    const entries = [];
    for (let i = 0; i < 2; i++) {
      const lo = fn.cfgRead(rl + 0x0c + 8 * i, 4);
      entries.push({ bir: lo & 7, rbi: (lo >> 8) & 0xff, off: lo & 0xffff0000 });
    }
    expect(entries).toEqual([
      { bir: 0, rbi: 1, off: 0 },
      { bir: 2, rbi: 3, off: 0 },
    ]);
  });

  it('DVSEC 0 ranges: size registers, Memory_Info_Valid/Memory_Active, base RWL until CONFIG_LOCK', () => {
    const { fn } = make({ volatileBytes: 512 * 2 ** 20, persistentBytes: 2 ** 32 });
    const d = findDvsec(fn, 0);
    expect((fn.cfgRead(d + 0x0a, 2) >> 4) & 3).toBe(2); // HDM_Count
    expect(fn.cfgRead(d + 0x18, 4)).toBe(0);
    const lo1 = fn.cfgRead(d + 0x1c, 4);
    expect(lo1 >>> 28).toBe(2);
    expect(lo1 & 3).toBe(3);
    expect(fn.cfgRead(d + 0x28, 4)).toBe(1);
    expect(fn.cfgRead(d + 0x2c, 4) >>> 28).toBe(0);
    fn.cfgWrite(d + 0x24, 4, 0xffff_ffff);
    expect(fn.cfgRead(d + 0x24, 4)).toBe(0xf000_0000);
    fn.cfgWrite(d + 0x14, 2, 1); // CONFIG_LOCK
    fn.cfgWrite(d + 0x24, 4, 0x1000_0000);
    expect(fn.cfgRead(d + 0x24, 4)).toBe(0xf000_0000);
    fn.cfgWrite(d + 0x0c, 2, 0x0004); // Mem_Enable is RWL too
    expect(fn.cfgRead(d + 0x0c, 2) & 4).toBe(0);
  });

  it('CONFIG_LOCK: writing 0 locks nothing and leaves the lock armed; writing 1 then locks the RWL fields', () => {
    // CXL 2.0 8.1.3.6: CONFIG_LOCK is RWO (read-write-one-to-lock); only a 1 makes it read-only.
    for (const profile of ['spec', 'qemu'] as const) {
      const { fn } = make({ profile, volatileBytes: 512 * 2 ** 20 });
      const d = findDvsec(fn, 0);
      fn.cfgWrite(d + 0x14, 2, 0);
      fn.cfgWrite(d + 0x24, 4, 0x2000_0000);
      expect(fn.cfgRead(d + 0x24, 4)).toBe(0x2000_0000); // still unlocked
      fn.cfgWrite(d + 0x14, 2, 1);
      expect(fn.cfgRead(d + 0x14, 2)).toBe(1);
      fn.cfgWrite(d + 0x24, 4, 0x3000_0000);
      expect(fn.cfgRead(d + 0x24, 4)).toBe(0x2000_0000); // locked
      fn.cfgWrite(d + 0x14, 2, 0);
      expect(fn.cfgRead(d + 0x14, 2)).toBe(1); // and the lock cannot be cleared
    }
  });

  it('DVSEC 0 Control2: Initiate Cache WB/Invalidate and Initiate CXL Reset read 0 (spec); QEMU stores them', () => {
    // CXL 2.0 8.1.3.4: both Initiate bits always return 0 when read; Disable Caching and Mem Clr Enable are RW.
    const spec = make();
    const d = findDvsec(spec.fn, 0);
    spec.fn.cfgWrite(d + 0x10, 2, 0x000f);
    expect(spec.fn.cfgRead(d + 0x10, 2)).toBe(0x0009);
    const qemu = make({ profile: 'qemu' });
    const q = findDvsec(qemu.fn, 0);
    qemu.fn.cfgWrite(q + 0x10, 2, 0x000f);
    expect(qemu.fn.cfgRead(q + 0x10, 2)).toBe(0x000f); // QEMU write mask 0x0F
  });

  it('warm reset keeps sticky AER status, cold reset clears it, and unlocks CONFIG_LOCK', () => {
    const dev = make();
    const d = findDvsec(dev.fn, 0);
    dev.fn.cfgWrite(d + 0x14, 2, 1);
    const aer = dev.block('pci-aer', 'cfg')!;
    aer.set(0x04, 4, 1 << 22);
    dev.reset('warm');
    expect(dev.fn.cfgRead(0x104, 4)).toBe(1 << 22);
    expect(dev.fn.cfgRead(d + 0x14, 2)).toBe(0);
    dev.reset('cold');
    expect(dev.fn.cfgRead(0x104, 4)).toBe(0);
  });
});

describe('optional DVSECs where configured: Non-CXL Function Map (ID 2) and MLD (ID 9)', () => {
  it('are absent by default in both profiles', () => {
    for (const profile of ['spec', 'qemu'] as const) {
      const { fn, layout } = make({ profile });
      const ids = walkDvsecs(fn).map((d) => d[1]);
      expect(ids).not.toContain(2);
      expect(ids).not.toContain(9);
      expect(layout().some((p) => p.block === 'dvsec-non-cxl-function-map' || p.block === 'dvsec-mld')).toBe(false);
      expect(fn.cfgRead(findDvsec(fn, 0) + 0x0a, 2) & 0x2000).toBe(0); // not an MLD
    }
  });

  it('the DVSEC walk finds both when configured, with the spec lengths, and the other capabilities stay intact', () => {
    for (const profile of ['spec', 'qemu'] as const) {
      const { fn } = make({ profile, nonCxlFunctions: [1, 7, 40, 255], mld: { logicalDevices: 4 } });
      const dv = walkDvsecs(fn);
      expect(dv.find((d) => d[1] === 2)?.[3]).toBe(0x2c); // CXL 2.0 8.1.4
      expect(dv.find((d) => d[1] === 9)?.[3]).toBe(0x10); // CXL 2.0 8.1.10
      expect(dv.map((d) => d[1])).toEqual(expect.arrayContaining([0, 2, 5, 7, 8, 9]));
      const ext = walkExtCaps(fn).map(([, id]) => id);
      expect(ext).toEqual(expect.arrayContaining([0x01, 0x03, 0x2e])); // AER, DSN, DOE still on the list
      const ends = walkExtCaps(fn).map(([at]) => at);
      expect(new Set(ends).size).toBe(ends.length);
    }
  });

  it('Non-CXL Function Map registers hold bit n for function n (256-bit map over registers 0..7), read-only', () => {
    const { fn } = make({ nonCxlFunctions: [1, 7, 40, 255] });
    const d = findDvsec(fn, 2);
    const words = Array.from({ length: 8 }, (_, i) => fn.cfgRead(d + 0x0c + 4 * i, 4));
    expect(words).toEqual([0x82, 1 << 8, 0, 0, 0, 0, 0, 0x8000_0000]);
    fn.cfgWrite(d + 0x0c, 4, 0xffff_ffff);
    expect(fn.cfgRead(d + 0x0c, 4)).toBe(0x82);
  });

  it('MLD DVSEC reports the LD count; DVSEC 0 and Flex Bus say Multiple Logical Device', () => {
    const { fn } = make({ mld: { logicalDevices: 16 } });
    const d = findDvsec(fn, 9);
    expect(fn.cfgRead(d + 0x0a, 2)).toBe(16);
    fn.cfgWrite(d + 0x0a, 2, 3);
    expect(fn.cfgRead(d + 0x0a, 2)).toBe(16); // HwInit
    expect(fn.cfgRead(findDvsec(fn, 0) + 0x0a, 2) & 0x2000).toBe(0x2000);
    expect(fn.cfgRead(findDvsec(fn, 7) + 0x0a, 2) & 0x40).toBe(0x40);
  });

  it('the layout names both blocks and its declarations decode them (the same tables trace decode uses)', () => {
    const dev = make({ nonCxlFunctions: [3], mld: { logicalDevices: 2 } });
    const placed = dev.layout();
    const map = placed.find((p) => p.block === 'dvsec-non-cxl-function-map')!;
    const mld = placed.find((p) => p.block === 'dvsec-mld')!;
    expect(map.base).toBe(findDvsec(dev.fn, 2));
    expect(mld.base).toBe(findDvsec(dev.fn, 9));
    const mapDecl = resolveBlock(map.block, map.params ?? {})!;
    const reg0 = mapDecl.registers.find((r) => r.offset === 0x0c)!;
    expect(reg0.name).toBe('Non-CXL Function Map 0');
    expect(reg0.fields[0]!.reset).toBe(1 << 3);
    const mldDecl = resolveBlock(mld.block, mld.params ?? {})!;
    expect(mldDecl.registers.find((r) => r.offset === 0x0a)!.fields[0]!.reset).toBe(2);
  });
});
