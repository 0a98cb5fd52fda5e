// Read-only check against a real CXL memory device in this machine's PCIe tree, when there is one: config space
// through `config`, then the component register block through the BAR the Register Locator DVSEC names
// (CXL 2.0 8.1.9), mapped read-only. Nothing is written. Device: $CXL_BENCH_SYSFS_BDF, else the first function
// whose class is 0x050210; the tree is $CXL_BENCH_SYSFS_ROOT or /sys/bus/pci/devices.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { findCxlMemoryDevices, SysfsPciLink, sysfsPciRoot, SYSFS_BAR_BASE } from '../../hil/sysfs/sysfs-pci-link.js';
import { HardwareEndpoint } from '../../hil/hardware-endpoint.js';
import { sysfsDeviceMap } from '../../hil/device-map.js';
import { RBI, regLocatorRead } from '../../host/core/regs.js';

const root = sysfsPciRoot();
const bdf = process.env.CXL_BENCH_SYSFS_BDF || findCxlMemoryDevices(root)[0] || null;
const isRoot = process.getuid?.() === 0;
const skipWhy = !bdf
  ? `no CXL memory device (class 0x050210) in this machine's PCIe tree (${root}); set CXL_BENCH_SYSFS_BDF to a CXL device's DDDD:BB:DD.F to test one`
  : !isRoot
    ? `CXL device ${bdf} found, but mapping its BARs needs root (see hil/sysfs/README.md)`
    : null;
if (skipWhy) console.warn(`hil sysfs: real-device test skipped: ${skipWhy}`);

describe.skipIf(skipWhy !== null)(`SysfsPciLink on CXL memory device ${bdf ?? '(none)'} (read-only)`, () => {
  it('config Vendor ID matches sysfs, and the component block holds a CXL Capability Header (ID 1)', async () => {
    const link = new SysfsPciLink({ bdf: bdf!, root, readOnly: true });
    await link.open();
    try {
      const vendor = Number(readFileSync(`${root}/${bdf}/vendor`, 'utf8').trim());
      expect(await link.readSub(0, 2)).toBe(vendor);
      const ep = new HardwareEndpoint(link, sysfsDeviceMap(), bdf!); // config reads only through the endpoint
      const loc = await regLocatorRead(ep);
      expect(loc.dvsec, 'Register Locator DVSEC (vendor 0x1E98, ID 8) present').toBeGreaterThan(0);
      const comp = loc.blocks.find((b) => b.rbi === RBI.component);
      expect(comp, `component register block in ${JSON.stringify(loc.blocks)}`).toBeDefined();
      // CXL 2.0 8.2.5.1: CXL_Capability_Header at component block +0x1000, Capability ID [15:0] = 1.
      const hdr = await link.read32(SYSFS_BAR_BASE(comp!.bar) + comp!.offset + 0x1000);
      expect(hdr & 0xffff).toBe(0x0001);
      expect((hdr >>> 24) & 0xff, 'Array_Size').toBeGreaterThan(0);
    } finally {
      await link.close();
    }
  });
});
