// Import QEMU trace logs (`-d trace:memory_region_ops_read,memory_region_ops_write,pci_cfg_read,pci_cfg_write`,
// optionally also pci_update_mappings_add/del so BARs can be inferred). Line formats, from QEMU's trace-events
// files (system/trace-events, hw/pci/trace-events), after the log backend's optional "pid@sec.usec:" prefix:
//
//   memory_region_ops_read  cpu %d mr %p addr 0x%PRIx64 value 0x%PRIx64 size %u name '%s'   (name: newer QEMU)
//   memory_region_ops_write cpu %d mr %p addr 0x%PRIx64 value 0x%PRIx64 size %u name '%s'
//   pci_cfg_read  %s %02x:%02x.%x @0x%x -> 0x%x       (device name, bus:slot.fn, offset, value)
//   pci_cfg_write %s %02x:%02x.%x @0x%x <- 0x%x
//   pci_update_mappings_add %s %02x:%02x.%x %d,0x%PRIx64+0x%PRIx64   (device, BDF, BAR, address, size)
//   pci_update_mappings_del %s %02x:%02x.%x %d,0x%PRIx64+0x%PRIx64
//
// memory_region_ops_* addresses are absolute (QEMU converts the region offset with
// memory_region_to_absolute_addr). They map to (node, BAR, offset) through the user's windows first, then
// BAR windows inferred from pci_update_mappings_add lines seen so far; anything else stays an absolute
// address ('mem' space, 'hpa' region) on the node `unmappedNode`. pci_cfg_* carry no access size: the width
// is taken from the offset's alignment (4, 2 or 1) unless `cfgWidth` says otherwise.
// Other lines (other trace points, QEMU messages) are skipped; a line of a recognised event that does not
// parse is an error naming its line number.

import type { Region, Space, Width } from '../../common/access.js';
import type { AccessEvent } from '../event.js';
import { TraceImportError, splitLines } from './import-error.js';

export interface QemuWindow {
  /** Only accesses through the memory region of this name (when given). */
  name?: string;
  base: number;
  size: number;
  node: string;
  region: Region;
  space?: Space;
}

export interface QemuImportMap {
  /** PCI device (QEMU device name as traced, e.g. "cxl-type3", or BDF "0d:00.0") → topology node. */
  devices?: Readonly<Record<string, string>>;
  /** Address windows, tried before inferred BARs. */
  windows?: readonly QemuWindow[];
  /** Node for memory accesses no window claims (default "qemu"). */
  unmappedNode?: string;
  /** Width for pci_cfg_* accesses (default: from offset alignment). */
  cfgWidth?: 1 | 2 | 4;
}

const PREFIX = /^(?:(\d+)@(\d+)\.(\d+):)?([a-z0-9_]+)(?: (.*))?$/;
const MR_OPS = /^cpu (-?\d+) mr (\S+) addr 0x([0-9a-fA-F]+) value 0x([0-9a-fA-F]+) size (\d+)(?: name '(.*)')?$/;
const CFG = /^(\S+) ([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\.([0-7]) @0x([0-9a-fA-F]+) (->|<-) 0x([0-9a-fA-F]+)$/;
const MAPPING = /^(\S+) ([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\.([0-7]) (\d+),0x([0-9a-fA-F]+)\+0x([0-9a-fA-F]+)$/;

const HANDLED = new Set([
  'memory_region_ops_read',
  'memory_region_ops_write',
  'pci_cfg_read',
  'pci_cfg_write',
  'pci_update_mappings_add',
  'pci_update_mappings_del',
]);

interface Bar {
  node: string;
  bar: number;
  base: number;
  size: number;
}

const hexNum = (s: string): number => parseInt(s, 16);

/** Parse a QEMU trace log into access events (seq from 0). Throws TraceImportError; never returns part. */
export function importQemuLog(text: string, map: QemuImportMap = {}): AccessEvent[] {
  const lines = splitLines(text);
  const out: AccessEvent[] = [];
  const bars: Bar[] = [];
  const unmapped = map.unmappedNode ?? 'qemu';
  let t0: [number, number] | null = null; // first timestamp (seconds, microseconds)
  const deviceNode = (dev: string, bdf: string): string => map.devices?.[dev] ?? map.devices?.[bdf] ?? bdf;

  for (let l = 0; l < lines.length; l++) {
    const lineNo = l + 1;
    const m = PREFIX.exec(lines[l].trim());
    if (!m || !HANDLED.has(m[4])) continue;
    const [, , sec, usec, event, rest = ''] = m;
    let timeNs = 0;
    if (sec !== undefined) {
      // Relative before scaling: absolute epoch nanoseconds exceed 2^53.
      if (t0 === null) t0 = [Number(sec), Number(usec)];
      timeNs = (Number(sec) - t0[0]) * 1e9 + (Number(usec) - t0[1]) * 1e3;
    }
    const fail = (what: string): never => {
      throw new TraceImportError(lineNo, `${event}: ${what}: "${rest}"`);
    };

    if (event === 'memory_region_ops_read' || event === 'memory_region_ops_write') {
      const f = MR_OPS.exec(rest) ?? fail("expected \"cpu N mr 0x… addr 0x… value 0x… size N name '…'\"");
      const addr = hexNum(f[3]);
      if (!Number.isSafeInteger(addr)) fail('address beyond 2^53');
      const size = Number(f[5]);
      if (size !== 1 && size !== 2 && size !== 4 && size !== 8) fail(`size ${size} is not 1, 2, 4 or 8`);
      const value = BigInt('0x' + f[4]);
      if (value >> BigInt(size * 8) !== 0n) fail(`value does not fit in ${size} bytes`);
      const name = f[6];
      let node = unmapped;
      let region: Region = 'hpa';
      let space: Space = 'mem';
      let offset = addr;
      const w = map.windows?.find((x) => (x.name === undefined || x.name === name) && addr >= x.base && addr < x.base + x.size);
      if (w) {
        node = w.node;
        region = w.region;
        space = w.space ?? (w.region === 'hpa' ? 'mem' : 'mmio');
        offset = addr - w.base;
      } else {
        const b = bars.find((x) => addr >= x.base && addr < x.base + x.size);
        if (b) {
          node = b.node;
          region = `bar${b.bar}` as Region;
          space = 'mmio';
          offset = addr - b.base;
        }
      }
      out.push({
        kind: 'access',
        seq: out.length,
        timeNs,
        node,
        space,
        region,
        offset,
        width: size as Width,
        op: event === 'memory_region_ops_read' ? 'R' : 'W',
        value,
        status: 'ok',
      });
    } else if (event === 'pci_cfg_read' || event === 'pci_cfg_write') {
      const f = CFG.exec(rest) ?? fail(`expected "<device> bb:dd.f @0xOFF ${event === 'pci_cfg_read' ? '->' : '<-'} 0xVALUE"`);
      if ((f[6] === '->') !== (event === 'pci_cfg_read')) fail(`arrow ${f[6]} does not match ${event}`);
      const offset = hexNum(f[5]);
      if (offset >= 4096) fail(`config offset 0x${f[5]} beyond 4 KiB`);
      const width: Width = map.cfgWidth ?? (offset % 4 === 0 ? 4 : offset % 2 === 0 ? 2 : 1);
      const value = BigInt('0x' + f[7]);
      if (value >> BigInt(width * 8) !== 0n) fail(`value does not fit in ${width} bytes`);
      out.push({
        kind: 'access',
        seq: out.length,
        timeNs,
        node: deviceNode(f[1], `${f[2]}:${f[3]}.${f[4]}`.toLowerCase()),
        space: 'cfg',
        region: 'cfg',
        offset,
        width,
        op: event === 'pci_cfg_read' ? 'R' : 'W',
        value,
        status: 'ok',
      });
    } else {
      const f = MAPPING.exec(rest) ?? fail('expected "<device> bb:dd.f BAR,0xADDR+0xSIZE"');
      const bar = Number(f[5]);
      if (bar > 6) fail(`BAR ${bar} out of range`);
      if (bar === 6) continue; // expansion ROM (PCI_ROM_SLOT): not a register BAR
      const node = deviceNode(f[1], `${f[2]}:${f[3]}.${f[4]}`.toLowerCase());
      const base = hexNum(f[6]);
      const size = hexNum(f[7]);
      const at = bars.findIndex((b) => b.node === node && b.bar === bar);
      if (at >= 0) bars.splice(at, 1);
      if (event === 'pci_update_mappings_add') bars.push({ node, bar, base, size });
    }
  }
  return out;
}
