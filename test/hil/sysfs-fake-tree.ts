// A fixture tree shaped like /sys/bus/pci/devices/<BDF>: config, resource, resourceN as regular files. mmap of a
// regular file goes through the same addon code path as a real resource file; positioned I/O works on both.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FakeFunction {
  root: string;
  bdf: string;
  dir: string;
  config: Uint8Array;
  /** Initial contents of resource0 (64 KiB) and resource4 (32 B I/O). */
  bar0: Uint8Array;
  bar4: Uint8Array;
  remove(): void;
}

/** `resource` lines (start end flags), as pci-sysfs.c resource_show prints them. */
export const resourceLine = (start: bigint, size: bigint, flags: number): string =>
  size === 0n
    ? '0x0000000000000000 0x0000000000000000 0x0000000000000000'
    : [start, start + size - 1n, BigInt(flags)].map((v) => `0x${v.toString(16).padStart(16, '0')}`).join(' ');

/**
 * BAR0: 64-bit memory, 64 KiB, resource0 present. BAR1: its upper half (empty line, no file). BAR2: 64-bit
 * memory 4 KiB listed in `resource` but resource2 missing. BAR3: upper half of BAR2. BAR4: I/O, 32 bytes.
 * BAR5: empty. Command register = Memory + I/O Space Enable unless `command` says otherwise.
 */
export function makeFakeFunction(name: string, opts: { command?: number; withResourceList?: boolean } = {}): FakeFunction {
  const root = join(process.cwd(), 'test-results', `hil-sysfs-${name}-${process.pid}`);
  const bdf = '0000:3b:00.0';
  const dir = join(root, bdf);
  mkdirSync(dir, { recursive: true });
  const config = new Uint8Array(4096).map((_, i) => (i * 13 + 5) & 0xff);
  const dv = new DataView(config.buffer);
  dv.setUint16(0, 0x8086, true);
  dv.setUint16(2, 0x0d93, true);
  dv.setUint16(4, opts.command ?? 0x0007, true);
  writeFileSync(join(dir, 'config'), config);
  const mem64 = 0x0014_0204; // IORESOURCE_MEM | IORESOURCE_MEM_64 | IORESOURCE_SIZEALIGN | PCI mem type 64
  const io = 0x0004_0101; // IORESOURCE_IO | IORESOURCE_SIZEALIGN
  if (opts.withResourceList ?? true)
    writeFileSync(
      join(dir, 'resource'),
      [
        resourceLine(0xfe00_0000n, 0x10000n, mem64),
        resourceLine(0n, 0n, 0),
        resourceLine(0xfe01_0000n, 0x1000n, mem64),
        resourceLine(0n, 0n, 0),
        resourceLine(0xe000n, 0x20n, io),
        resourceLine(0n, 0n, 0),
        resourceLine(0n, 0n, 0), // expansion ROM
      ].join('\n') + '\n',
    );
  const bar0 = new Uint8Array(0x10000).map((_, i) => (i * 31 + 7) & 0xff);
  const bar4 = new Uint8Array(0x20).map((_, i) => 0x80 + i);
  writeFileSync(join(dir, 'resource0'), bar0);
  writeFileSync(join(dir, 'resource4'), bar4);
  return { root, bdf, dir, config, bar0, bar4, remove: () => rmSync(root, { recursive: true, force: true }) };
}
