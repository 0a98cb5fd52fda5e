import { describe, expect, it } from 'vitest';
import { CFG_RULES, RegisterBlock, block, roReg } from '../../../emulator/regs/index.js';
import { blockKinds, registerBlockKind, resolveBlock } from '../../../emulator/spec/blocks.js';

const inst = (id: string, params: Record<string, number> = {}) => new RegisterBlock(resolveBlock(id, params)!, CFG_RULES);

describe('block registry', () => {
  it('resolves every built-in kind, returns undefined for unknown kinds, accepts registrations', () => {
    for (const k of blockKinds()) expect(resolveBlock(k, {}), k).toBeDefined();
    expect(resolveBlock('no-such-block')).toBeUndefined();
    registerBlockKind('test-only-kind', (p) => block('test-only-kind', 'Test', 4, [roReg('X', 0, 4, p.x ?? 0, 'x')]));
    expect(resolveBlock('test-only-kind', { x: 7 })!.registers[0].fields[0].reset).toBe(7);
    for (const k of ['dvsec-port-extensions', 'dvsec-gpf-port', 'dvsec-non-cxl-function-map', 'dvsec-mld', 'cxl-hdm-decoder']) expect(blockKinds()).toContain(k);
  });

  it('declared registers stay inside the block and do not overlap', () => {
    for (const k of blockKinds()) {
      const d = resolveBlock(k, { count: 3, decoders: 4, vectors: 8 })!;
      const used = new Uint8Array(d.size);
      for (const r of d.registers) {
        expect(r.offset + r.width, `${k} ${r.name}`).toBeLessThanOrEqual(d.size);
        for (let i = r.offset; i < r.offset + r.width; i++) {
          expect(used[i], `${k} ${r.name} overlaps`).toBe(0);
          used[i] = 1;
        }
        for (const f of r.fields) expect(f.bits[0], `${k} ${r.name}.${f.name}`).toBeLessThan(8 * r.width);
      }
    }
  });
});

describe('port DVSEC builders', () => {
  it('DVSEC 3 (Port Extensions): header, Alt bus/memory write masks, viral status RW1CS', () => {
    const b = inst('dvsec-port-extensions', { next: 0x200, status: 1 });
    expect(b.read(0, 4)).toBe(0x2001_0023);
    expect(b.read(4, 4)).toBe((0x28 << 20) | 0x1e98);
    expect(b.read(8, 2)).toBe(3);
    expect(b.read(0x0a, 2)).toBe(1);
    b.write(0x0c, 2, 0xffff);
    expect(b.read(0x0c, 2)).toBe(0x400f);
    b.write(0x10, 4, 0xffff_ffff);
    expect(b.read(0x10, 4)).toBe(0xfff0_fff0);
    b.write(0x14, 2, 0xffff);
    expect(b.read(0x14, 2)).toBe(0xfff1);
    b.set(0x0a, 2, 0x4001);
    b.write(0x0a, 2, 0x4000);
    expect(b.read(0x0a, 2)).toBe(1);
  });

  it('DVSEC 4 (GPF Port): timeouts writable in base/scale nibbles only', () => {
    const b = inst('dvsec-gpf-port');
    expect(b.read(8, 2)).toBe(4);
    expect(b.read(0x0c, 4)).toBe(0x0001_0001);
    b.write(0x0c, 4, 0xffff_ffff);
    expect(b.read(0x0c, 4)).toBe(0x0f0f_0f0f);
  });

  it('DVSEC 7 (Flex Bus): control writable only on downstream ports; status framing errors RW1C', () => {
    const ep = inst('dvsec-flex-bus', { ctl: 0x02 });
    ep.write(0x0c, 2, 0xffff);
    expect(ep.read(0x0c, 2)).toBe(0x02);
    const dp = inst('dvsec-flex-bus', { ctl: 0x02, ctlWritable: 1, revision: 2 });
    expect(dp.size).toBe(0x20);
    dp.write(0x0c, 2, 0xffff);
    expect(dp.read(0x0c, 2)).toBe(0x3ff);
    dp.set(0x0e, 2, 0x0726);
    dp.write(0x0e, 2, 0x0100);
    expect(dp.read(0x0e, 2)).toBe(0x0626);
  });

  it('DVSEC 8 (Register Locator) with one entry for a port: component registers in BAR0 at 64 KiB', () => {
    const b = inst('dvsec-register-locator', { count: 1, bir0: 0, rbi0: 1, offset0: 0x10000 });
    expect(b.size).toBe(0x14);
    expect(b.read(4, 4) >>> 20).toBe(0x14);
    expect(b.read(0x0c, 4)).toBe(0x0001_0100);
    expect(b.read(0x10, 4)).toBe(0);
  });

  it('PCIe capability for a root port reports the port type and link-active, with writable Link Disable', () => {
    const b = inst('pci-express', { portType: 4, maxSpeed: 4, maxWidth: 8 });
    expect((b.read(2, 2) >> 4) & 0xf).toBe(4);
    expect(b.read(0x12, 2) & 0x2000).toBe(0x2000);
    b.write(0x10, 2, 0x10);
    expect(b.read(0x10, 2) & 0x10).toBe(0x10);
    expect(b.read(0x0c, 4) & 0x3ff).toBe((8 << 4) | 4);
  });
});

describe('sticky read-only fields (ROS)', () => {
  it('AER First Error Pointer and Header Log survive a warm reset, as the RW1CS status they describe (PCIe Base 7.8.4.7-8)', () => {
    const b = inst('pci-aer');
    // Model-side write (the device recording an error), then a conventional reset.
    b.set(0x18, 4, 20); // First Error Pointer = Unsupported Request
    b.set(0x1c, 4, 0x4a00_0001);
    b.set(0x04, 4, 1 << 20);
    b.reset('warm');
    expect(b.read(0x04, 4)).toBe(1 << 20);
    expect(b.read(0x18, 4) & 0x1f).toBe(20);
    expect(b.read(0x1c, 4)).toBe(0x4a00_0001);
    b.reset('cold');
    expect(b.read(0x18, 4) & 0x1f).toBe(0);
    expect(b.read(0x1c, 4)).toBe(0);
  });

  it('ROS fields are not writable by software', () => {
    const b = inst('cxl-ras');
    b.write(0x14, 4, 0x3f);
    b.write(0x18, 4, 0xffff_ffff);
    expect(b.read(0x14, 4) & 0x3f).toBe(0);
    expect(b.read(0x18, 4)).toBe(0);
  });
});

describe('Flex Bus Port DVSEC status (CXL 2.0 8.2.1.3.3)', () => {
  it('reports Sync Header Bypass and Drift Buffer enabled from the status reset value', () => {
    const b = inst('dvsec-flex-bus', { status: 0x3e });
    expect(b.read(0x0e, 2)).toBe(0x3e);
    const d = resolveBlock('dvsec-flex-bus', {})!;
    const names = d.registers.find((r) => r.offset === 0x0e)!.fields.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['CXL_Sync_Hdr_Bypass_Enabled', 'Drift_Buffer_Enabled']));
  });
});
