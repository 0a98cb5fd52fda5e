// The `resource` file of a PCI function in sysfs (Documentation/filesystems/sysfs-pci.rst; drivers/pci/pci-sysfs.c
// resource_show): one line per resource, "0x<start> 0x<end> 0x<flags>" in hex; lines 0..5 are the BARs, line 6
// the expansion ROM, further lines bridge windows or SR-IOV BARs. An unused BAR reads as all zeros. A 64-bit
// memory BAR n (flags & IORESOURCE_MEM_64) takes BAR registers n and n+1 (PCIe Base 7.5.1.2.1); Linux reports it
// on line n and leaves line n+1 empty, and there is no resource<n+1> file.

/** include/linux/ioport.h resource flags this link looks at. */
export const IORESOURCE_IO = 0x0000_0100;
export const IORESOURCE_MEM = 0x0000_0200;
export const IORESOURCE_PREFETCH = 0x0000_2000;
export const IORESOURCE_MEM_64 = 0x0010_0000;

export const SYSFS_BAR_COUNT = 6;

export type SysfsBarKind = 'mem' | 'io';

export interface SysfsResource {
  start: bigint;
  end: bigint;
  flags: number;
}

export type SysfsBarInfo =
  | { bar: number; kind: SysfsBarKind; size: number; start: bigint; is64: boolean; prefetchable: boolean }
  | { bar: number; kind: 'absent'; why: 'empty' | 'upper-half'; lowerBar?: number };

/** Parse the `resource` file text; lines that are not three hex numbers read as empty resources. */
export function parseSysfsResources(text: string): SysfsResource[] {
  return text
    .split('\n')
    .filter((l, i, all) => l.trim() !== '' || i < all.length - 1)
    .map((line) => {
      const f = line.trim().split(/\s+/);
      if (f.length < 3 || !f.every((x) => /^(0x)?[0-9a-f]+$/i.test(x))) return { start: 0n, end: 0n, flags: 0 };
      const [start, end, flags] = f.map((x) => BigInt(x.startsWith('0x') || x.startsWith('0X') ? x : `0x${x}`));
      return { start, end, flags: Number(flags & 0xffff_ffffn) };
    });
}

/** What BAR n is, from the parsed resource lines. */
export function sysfsBarInfo(resources: readonly SysfsResource[], bar: number): SysfsBarInfo {
  const r = resources[bar];
  const below = bar > 0 ? resources[bar - 1] : undefined;
  if (below && below.flags & IORESOURCE_MEM && below.flags & IORESOURCE_MEM_64 && (!r || r.flags === 0))
    return { bar, kind: 'absent', why: 'upper-half', lowerBar: bar - 1 };
  if (!r || r.end <= r.start || !(r.flags & (IORESOURCE_IO | IORESOURCE_MEM))) return { bar, kind: 'absent', why: 'empty' };
  return {
    bar,
    kind: r.flags & IORESOURCE_IO ? 'io' : 'mem',
    size: Number(r.end - r.start + 1n),
    start: r.start,
    is64: (r.flags & IORESOURCE_MEM_64) !== 0,
    prefetchable: (r.flags & IORESOURCE_PREFETCH) !== 0,
  };
}

/** Sizes of BARs 0..5 (0 for absent ones), e.g. for sysfsDeviceMap(). */
export function sysfsBarSizes(resources: readonly SysfsResource[]): number[] {
  return Array.from({ length: SYSFS_BAR_COUNT }, (_, n) => {
    const b = sysfsBarInfo(resources, n);
    return b.kind === 'absent' ? 0 : b.size;
  });
}
