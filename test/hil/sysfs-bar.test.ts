// BAR access of SysfsPciLink over a fake sysfs tree (test/hil/sysfs-fake-tree.ts): resource0 is a 64 KiB regular
// file mapped by the sysfs_mmap addon, resource4 an I/O BAR file read with positioned I/O.
// An unbuilt addon is a bug in CI (CI=true): the suite then fails; locally it is skipped with a message.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SysfsBarError, SysfsBarUnsupportedError, SysfsPciLink, SYSFS_BAR_BASE, SYSFS_ROOT_ENV } from '../../hil/sysfs/sysfs-pci-link.js';
import { loadNativeMmap } from '../../hil/sysfs/native-mmap.js';
import { HardwareEndpoint } from '../../hil/hardware-endpoint.js';
import { sysfsDeviceMap } from '../../hil/device-map.js';
import { openLink } from '../../hil/link.js';
import { LinkFault } from '../../common/target.js';
import { makeFakeFunction } from './sysfs-fake-tree.js';

const native = loadNativeMmap();
const inCi = !!process.env.CI && process.env.CI !== 'false';
if (!native.ok && !inCi) console.warn(`hil sysfs: BAR mmap tests skipped: ${native.why}`);

const fake = makeFakeFunction('bar');
afterAll(() => fake.remove());
const opened: SysfsPciLink[] = [];
afterEach(async () => {
  for (const l of opened.splice(0)) await l.close();
});
async function openFake(opts: { readOnly?: boolean; root?: string } = {}): Promise<SysfsPciLink> {
  const link = new SysfsPciLink({ bdf: fake.bdf, root: opts.root ?? fake.root, readOnly: opts.readOnly });
  opened.push(link);
  await link.open();
  return link;
}
const bar0 = (): Uint8Array => new Uint8Array(readFileSync(join(fake.dir, 'resource0')));
const failure = (p: Promise<unknown>): Promise<unknown> => p.then(() => new Error('did not fail'), (e: unknown) => e);

describe.skipIf(!native.ok && !inCi)('SysfsPciLink memory BAR (mmap of resource0)', () => {
  it('the sysfs_mmap addon is built and loads', () => {
    expect(native.ok, native.ok ? '' : native.why).toBe(true);
  });

  it('reads 8/16/32/64-bit little-endian values at the BAR offset the file holds', async () => {
    const link = await openFake();
    const dv = new DataView(fake.bar0.buffer);
    const base = SYSFS_BAR_BASE(0);
    expect(await link.readSub(base + 0x1233, 1)).toBe(fake.bar0[0x1233]);
    expect(await link.readSub(base + 0x2222, 2)).toBe(dv.getUint16(0x2222, true));
    expect(await link.read32(base + 0xfffc)).toBe(dv.getUint32(0xfffc, true));
    expect(await link.read64(base + 0x4008)).toBe(dv.getBigUint64(0x4008, true));
    expect(Array.from(await link.readBurst(base + 0x100, 3))).toEqual([0x100, 0x104, 0x108].map((o) => dv.getUint32(o, true)));
  });

  it('8/16/32/64-bit writes land little-endian at their offset, touch no neighbouring byte, and read back', async () => {
    const link = await openFake();
    const base = SYSFS_BAR_BASE(0);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(1, 2, 4, 8),
        fc.nat(0x10000 / 8 - 1),
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        async (width, slot, raw) => {
          const off = slot * 8 + (width === 8 ? 0 : (slot % (8 / width)) * width);
          const value = BigInt.asUintN(8 * width, raw);
          const before = bar0();
          if (width === 8) await link.write64(base + off, value);
          else if (width === 4) await link.write32(base + off, Number(value));
          else await link.writeSub(base + off, width as 1 | 2, Number(value));
          const after = bar0();
          const expected = new Uint8Array(before);
          for (let i = 0; i < width; i++) expected[off + i] = Number((value >> BigInt(8 * i)) & 0xffn);
          expect(Buffer.compare(after, expected)).toBe(0);
          const back = width === 8 ? await link.read64(base + off) : BigInt(width === 4 ? await link.read32(base + off) : await link.readSub(base + off, width as 1 | 2));
          expect(back).toBe(value);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a misaligned access is a SysfsBarError "misaligned" naming BDF, BAR and offset; nothing is written', async () => {
    const link = await openFake();
    const before = bar0();
    for (const [p, width] of [
      [link.read32(SYSFS_BAR_BASE(0) + 0x102), 4],
      [link.writeSub(SYSFS_BAR_BASE(0) + 0x101, 2, 0xffff), 2],
      [link.read64(SYSFS_BAR_BASE(0) + 0x104), 8],
      [link.write64(SYSFS_BAR_BASE(0) + 0x10c, 1n), 8],
    ] as const) {
      const e = await failure(p);
      expect(e, `width ${width}`).toBeInstanceOf(SysfsBarError);
      expect((e as SysfsBarError).reason).toBe('misaligned');
      expect((e as SysfsBarError).kind).toBe('link-error');
      expect((e as Error).message).toMatch(new RegExp(`${fake.bdf}.*BAR0 offset 0x10[1-9a-f]`));
    }
    expect(Buffer.compare(bar0(), before)).toBe(0);
  });

  it('an access past the end of the BAR is a SysfsBarError "out-of-range" giving the BAR size', async () => {
    const link = await openFake();
    for (const p of [link.read32(SYSFS_BAR_BASE(0) + 0x10000), link.read64(SYSFS_BAR_BASE(0) + 0xfffc), link.readSub(SYSFS_BAR_BASE(0) + 0x0fff_fffe, 2)]) {
      const e = await failure(p);
      expect(e).toBeInstanceOf(SysfsBarError);
      expect((e as SysfsBarError).reason).toBe('out-of-range');
      expect((e as Error).message).toContain('size 0x10000');
    }
    expect(link.stats.errors).toBe(3);
  });

  it('the addon itself refuses misaligned and out-of-range offsets with named RangeErrors', () => {
    if (!native.ok) throw new Error(native.why);
    const a = native.addon;
    const h = a.open(join(fake.dir, 'resource0'), false);
    try {
      expect(a.size(h)).toBe(0x10000);
      expect(() => a.read32(h, 6)).toThrow(expect.objectContaining({ code: 'ERR_SYSFS_ALIGN', message: expect.stringContaining('0x6') }));
      expect(() => a.read16(h, 0x10000)).toThrow(expect.objectContaining({ code: 'ERR_SYSFS_BOUNDS', message: expect.stringContaining('0x10000') }));
      expect(() => a.read64(h, -8)).toThrow(expect.objectContaining({ code: 'ERR_SYSFS_BOUNDS' }));
      // A store into a read-only mapping would be SIGSEGV: the addon refuses it before touching memory.
      expect(() => a.write32(h, 0, 1)).toThrow(expect.objectContaining({ code: 'ERR_SYSFS_READONLY' }));
      const w = a.open(join(fake.dir, 'resource0'), true);
      try {
        expect(() => a.write64(w, 0, -1n)).toThrow(expect.objectContaining({ code: 'ERR_SYSFS_ARG' }));
      } finally {
        a.close(w);
      }
    } finally {
      a.close(h);
    }
    expect(() => a.read8(h, 0)).toThrow(expect.objectContaining({ code: 'ERR_SYSFS_CLOSED' }));
    expect(() => a.open(join(fake.dir, 'resource9'), false)).toThrow(/resource9: No such file/);
  });

  it('a read-only link maps the BAR read-only: reads work, writes are SysfsBarError "read-only"', async () => {
    const link = await openFake({ readOnly: true });
    expect(await link.read32(SYSFS_BAR_BASE(0) + 0x20)).toBe(new DataView(bar0().buffer).getUint32(0x20, true));
    const before = bar0();
    const e = await failure(link.write32(SYSFS_BAR_BASE(0) + 0x20, 0));
    expect((e as SysfsBarError).reason).toBe('read-only');
    expect(Buffer.compare(bar0(), before)).toBe(0);
  });

  it('HardwareEndpoint over the link with sysfsDeviceMap(link.barSizes()) reads BAR registers, 64-bit included', async () => {
    const link = await openFake();
    // A CXL Capability Header at component block +0x1000 (CXL 2.0 8.2.5.1: ID 1, version 1, cache/mem 1, 3 entries).
    const hdr = 0x0311_0001;
    await link.write32(SYSFS_BAR_BASE(0) + 0x1000, hdr);
    await link.write32(SYSFS_BAR_BASE(0) + 0x1004, 0x0a00_0002);
    expect(link.barSizes()).toEqual([0x10000, 0, 0x1000, 0, 0x20, 0]);
    const ep = new HardwareEndpoint(link, sysfsDeviceMap(link.barSizes()), 'ep0');
    expect(await ep.barRead(0, 0x1000, 4)).toBe(hdr);
    expect((await ep.barRead(0, 0x1000, 2)) & 0xffff).toBe(1);
    expect(await ep.barRead64(0, 0x1000)).toBe((0x0a00_0002n << 32n) | BigInt(hdr));
    expect(await ep.cfgRead(0, 2)).toBe(0x8086);
  });

  it('openLink("sysfs:<BDF>") honours CXL_BENCH_SYSFS_ROOT and reaches the BAR', async () => {
    const saved = process.env[SYSFS_ROOT_ENV];
    process.env[SYSFS_ROOT_ENV] = fake.root;
    try {
      const link = (await openLink(`sysfs:${fake.bdf}`)) as SysfsPciLink;
      opened.push(link);
      expect(link.dir).toBe(join(fake.root, fake.bdf));
      expect(await link.read32(SYSFS_BAR_BASE(0) + 0x40)).toBe(new DataView(bar0().buffer).getUint32(0x40, true));
    } finally {
      if (saved === undefined) delete process.env[SYSFS_ROOT_ENV];
      else process.env[SYSFS_ROOT_ENV] = saved;
    }
  });

  it('close unmaps: accesses after close fail "not open", and a reopened link maps afresh', async () => {
    const link = await openFake();
    await link.write32(SYSFS_BAR_BASE(0) + 0x80, 0x1234_5678);
    await link.close();
    expect(((await failure(link.read32(SYSFS_BAR_BASE(0) + 0x80))) as Error).message).toMatch(/not open/);
    await link.open();
    expect(await link.read32(SYSFS_BAR_BASE(0) + 0x80)).toBe(0x1234_5678);
  });
});

describe('SysfsPciLink BARs the resource list rules out, and the I/O BAR (no addon needed)', () => {
  it('BAR1 and BAR3 are the upper halves of 64-bit BARs 0 and 2: SysfsBarError "upper-half"', async () => {
    const link = await openFake();
    for (const [bar, lower] of [[1, 0], [3, 2]]) {
      const e = await failure(link.read32(SYSFS_BAR_BASE(bar)));
      expect((e as SysfsBarError).reason).toBe('upper-half');
      expect((e as Error).message).toContain(`BAR${bar}: is the upper half of 64-bit BAR${lower}`);
    }
  });

  it('BAR5 (empty line in resource) is "bar-absent"; BAR2 listed without a resource2 file is "no-resource-file"', async () => {
    const link = await openFake();
    const absent = await failure(link.read32(SYSFS_BAR_BASE(5)));
    expect((absent as SysfsBarError).reason).toBe('bar-absent');
    expect((absent as SysfsBarError).bar).toBe(5);
    const missing = await failure(link.read32(SYSFS_BAR_BASE(2)));
    expect((missing as SysfsBarError).reason).toBe('no-resource-file');
    expect((missing as Error).message).toContain(`${fake.bdf}/resource2 is missing`);
  });

  it('an address outside config space and the BAR windows is "not-a-bar"', async () => {
    const link = await openFake();
    for (const addr of [0x1000, 0x0fff_fffc, SYSFS_BAR_BASE(6)]) expect(((await failure(link.read32(addr))) as SysfsBarError).reason).toBe('not-a-bar');
  });

  it('I/O BAR4 takes 1/2/4-byte positioned accesses of the file; 64-bit is "io-width"', async () => {
    const link = await openFake();
    const base = SYSFS_BAR_BASE(4);
    expect(await link.readSub(base + 3, 1)).toBe(fake.bar4[3]);
    expect(await link.read32(base + 0x1c)).toBe(new DataView(fake.bar4.buffer).getUint32(0x1c, true));
    await link.writeSub(base + 0x6, 2, 0xbeef);
    const now = readFileSync(join(fake.dir, 'resource4'));
    expect(Array.from(now.subarray(5, 9))).toEqual([fake.bar4[5], 0xef, 0xbe, fake.bar4[8]]);
    expect(((await failure(link.read64(base))) as SysfsBarError).reason).toBe('io-width');
    expect(((await failure(link.read32(base + 0x20))) as SysfsBarError).reason).toBe('out-of-range');
  });

  it('without the addon a memory BAR rejects with SysfsBarUnsupportedError saying it was not built and how to build it', async () => {
    const link = new SysfsPciLink({ bdf: fake.bdf, root: fake.root, native: () => ({ ok: false, why: 'the sysfs_mmap addon was not built (test)' }) });
    opened.push(link);
    await link.open();
    const e = await failure(link.read32(SYSFS_BAR_BASE(0)));
    expect(e).toBeInstanceOf(SysfsBarUnsupportedError);
    expect((e as Error).message).toMatch(new RegExp(`${fake.bdf}: BAR0 .*not built`));
    const ep = new HardwareEndpoint(link, sysfsDeviceMap([0x10000, 0, 0x1000]), 'ep0');
    expect(await ep.barRead(0, 0, 4).catch((x: unknown) => x)).toBeInstanceOf(LinkFault);
    expect(await link.readSub(SYSFS_BAR_BASE(4), 1)).toBe(fake.bar4[0]); // I/O BARs need no addon
  });

  it('Memory Space Enable clear in the Command register is "disabled", telling the user to write enable', async () => {
    const off = makeFakeFunction('disabled', { command: 0x0001 });
    try {
      const link = new SysfsPciLink({ bdf: off.bdf, root: off.root });
      opened.push(link);
      await link.open();
      const e = await failure(link.read32(SYSFS_BAR_BASE(0)));
      expect((e as SysfsBarError).reason).toBe('disabled');
      expect((e as Error).message).toContain(`echo 1 > ${off.dir}/enable`);
      expect(await link.readSub(SYSFS_BAR_BASE(4), 1)).toBe(off.bar4[0]); // I/O Space Enable is set
    } finally {
      off.remove();
    }
  });

  it('a missing resource list is "no-resource-list"', async () => {
    const bare = makeFakeFunction('bare', { withResourceList: false });
    try {
      const link = new SysfsPciLink({ bdf: bare.bdf, root: bare.root });
      opened.push(link);
      await link.open();
      const e = await failure(link.read32(SYSFS_BAR_BASE(0)));
      expect((e as SysfsBarError).reason).toBe('no-resource-list');
      expect(() => link.barSizes()).toThrow(SysfsBarError);
    } finally {
      bare.remove();
    }
  });
});

