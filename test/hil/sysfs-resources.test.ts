// The sysfs `resource` file: what each line says about BAR n (drivers/pci/pci-sysfs.c resource_show).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IORESOURCE_IO, IORESOURCE_MEM, IORESOURCE_MEM_64, IORESOURCE_PREFETCH, parseSysfsResources, sysfsBarInfo, sysfsBarSizes } from '../../hil/sysfs/sysfs-resources.js';
import { resourceLine } from './sysfs-fake-tree.js';

const EMPTY = resourceLine(0n, 0n, 0);

describe('sysfs resource list', () => {
  it('a 64-bit memory BAR above 4 GiB is BAR n with its size; line n + 1 is its upper half', () => {
    // As a virtio function shows it: 512 KiB at 0x40_0000_0000, flags 0x140204.
    const text = ['0x0000004000000000 0x000000400007ffff 0x0000000000140204', ...Array(6).fill(EMPTY)].join('\n') + '\n';
    const r = parseSysfsResources(text);
    expect(r).toHaveLength(7);
    expect(sysfsBarInfo(r, 0)).toEqual({ bar: 0, kind: 'mem', size: 0x80000, start: 0x40_0000_0000n, is64: true, prefetchable: false });
    expect(sysfsBarInfo(r, 1)).toEqual({ bar: 1, kind: 'absent', why: 'upper-half', lowerBar: 0 });
    expect(sysfsBarInfo(r, 2)).toEqual({ bar: 2, kind: 'absent', why: 'empty' });
    expect(sysfsBarSizes(r)).toEqual([0x80000, 0, 0, 0, 0, 0]);
  });

  it('I/O, 32-bit and prefetchable BARs are told apart by their flags', () => {
    const r = parseSysfsResources(
      [
        resourceLine(0xe000n, 0x40n, IORESOURCE_IO),
        resourceLine(0xfd00_0000n, 0x1000n, IORESOURCE_MEM),
        resourceLine(0xc000_0000n, 0x1000_0000n, IORESOURCE_MEM | IORESOURCE_PREFETCH),
      ].join('\n'),
    );
    expect(sysfsBarInfo(r, 0)).toMatchObject({ kind: 'io', size: 0x40 });
    // A 32-bit BAR does not swallow the next line.
    expect(sysfsBarInfo(r, 1)).toMatchObject({ kind: 'mem', size: 0x1000, is64: false, prefetchable: false });
    expect(sysfsBarInfo(r, 2)).toMatchObject({ kind: 'mem', size: 0x1000_0000, prefetchable: true });
    expect(sysfsBarInfo(r, 5)).toEqual({ bar: 5, kind: 'absent', why: 'empty' });
  });

  it('a 64-bit BAR followed by a real resource does not hide it, and garbage lines read as empty', () => {
    const r = parseSysfsResources([resourceLine(0x1000_0000n, 0x10000n, IORESOURCE_MEM | IORESOURCE_MEM_64), resourceLine(0xe000n, 0x20n, IORESOURCE_IO), 'not a resource'].join('\n'));
    expect(sysfsBarInfo(r, 1)).toMatchObject({ kind: 'io', size: 0x20 });
    expect(sysfsBarInfo(r, 2)).toEqual({ bar: 2, kind: 'absent', why: 'empty' });
  });

  it('size is end - start + 1 for any BAR the line describes', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 48n }), fc.integer({ min: 2, max: 40 }), fc.boolean(), (startPage, log2, io) => {
        const size = 1n << BigInt(log2);
        const start = startPage * size;
        const info = sysfsBarInfo(parseSysfsResources(resourceLine(start, size, io ? IORESOURCE_IO : IORESOURCE_MEM)), 0);
        expect(info).toMatchObject({ kind: io ? 'io' : 'mem', size: Number(size), start });
      }),
      { numRuns: 100 },
    );
  });
});
