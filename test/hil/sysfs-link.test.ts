import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findReadablePciFunction, SysfsBarError, SysfsPciLink, SYSFS_BAR_BASE, SYSFS_PCI_ROOT } from '../../hil/sysfs/sysfs-pci-link.js';
import { HardwareEndpoint } from '../../hil/hardware-endpoint.js';
import { sysfsDeviceMap } from '../../hil/device-map.js';
import { LinkFault } from '../../common/target.js';
import { LinkError } from '../../hil/link.js';

// A fixture tree shaped like /sys/bus/pci/devices/<BDF>/config (a regular file supports positioned I/O too).
const root = join(process.cwd(), 'test-results', `hil-sysfs-${process.pid}`);
const BDF = '0000:3b:00.0';
mkdirSync(join(root, BDF), { recursive: true });
const cfg = new Uint8Array(4096).map((_, i) => (i * 7 + 3) & 0xff);
writeFileSync(join(root, BDF, 'config'), cfg);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('SysfsPciLink on a config-space file', () => {
  it('reads 1/2/4 bytes little-endian at their positions', async () => {
    const link = new SysfsPciLink({ bdf: BDF, root });
    await link.open();
    const dv = new DataView(cfg.buffer);
    expect(await link.read32(0x40)).toBe(dv.getUint32(0x40, true));
    expect(await link.readSub(0x42, 2)).toBe(dv.getUint16(0x42, true));
    expect(await link.readSub(0x43, 1)).toBe(cfg[0x43]);
    expect(Array.from(await link.readBurst(0x100, 3))).toEqual([0x100, 0x104, 0x108].map((o) => dv.getUint32(o, true)));
    await link.close();
  });

  it('writes exactly the bytes of the access width and no others', async () => {
    const link = new SysfsPciLink({ bdf: BDF, root });
    await link.open();
    await link.writeSub(0x81, 1, 0xab);
    await link.writeSub(0x86, 2, 0x1234);
    await link.write32(0x88, 0xdeadbeef);
    const now = readFileSync(join(root, BDF, 'config'));
    expect([now[0x80], now[0x81], now[0x82]]).toEqual([cfg[0x80], 0xab, cfg[0x82]]);
    expect([now[0x85], now[0x86], now[0x87]]).toEqual([cfg[0x85], 0x34, 0x12]);
    expect(Array.from(now.subarray(0x88, 0x8c))).toEqual([0xef, 0xbe, 0xad, 0xde]);
    await link.close();
  });

  it('without a resource list, a BAR access is a SysfsBarError naming the file; through HardwareEndpoint a traced LinkFault', async () => {
    const link = new SysfsPciLink({ bdf: BDF, root });
    await link.open();
    const err = await link.read32(SYSFS_BAR_BASE(2)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SysfsBarError);
    expect((err as SysfsBarError).reason).toBe('no-resource-list');
    expect((err as Error).message).toContain(`${BDF}/resource`);
    const ep = new HardwareEndpoint(link, sysfsDeviceMap(), 'ep0');
    const f = await ep.barRead(0, 0, 4).catch((e: unknown) => e);
    expect(f).toBeInstanceOf(LinkFault);
    expect(await ep.cfgRead(0x41, 1)).toBe(cfg[0x41]); // sub-word config reads use native widths
    await link.close();
  });

  it('a missing function fails open with link-error naming the path', async () => {
    const err = await new SysfsPciLink({ bdf: '0000:99:00.0', root }).open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LinkError);
    expect((err as Error).message).toContain('0000:99:00.0/config');
  });
});

const real = findReadablePciFunction();
if (!real) console.warn(`hil sysfs: no readable PCI function under ${SYSFS_PCI_ROOT}; real-device test skipped`);

describe.skipIf(!real)('SysfsPciLink on a real PCI function (read-only)', () => {
  it('Vendor/Device ID read over the link match the sysfs vendor/device files', async () => {
    const link = new SysfsPciLink({ bdf: real!, readOnly: true });
    await link.open();
    const id = await link.read32(0);
    const vendor = Number(readFileSync(`${SYSFS_PCI_ROOT}/${real}/vendor`, 'utf8').trim());
    const device = Number(readFileSync(`${SYSFS_PCI_ROOT}/${real}/device`, 'utf8').trim());
    expect(id & 0xffff).toBe(vendor);
    expect(id >>> 16).toBe(device);
    expect(await link.readSub(2, 2)).toBe(device);
    const w = await link.write32(0x40, 0).catch((e: unknown) => e);
    expect((w as Error).message).toMatch(/read-only/);
    await link.close();
  });
});
