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
import { formatQemuBdf, parseQemuLine } from './qemu-events.js';

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

interface Bar {
  node: string;
  bar: number;
  base: number;
  size: number;
}

/** Parse a QEMU trace log into access events (seq from 0). Throws TraceImportError; never returns part.
 * Line text is read by qemu-events.ts (parseQemuLine), the one reader of QEMU's trace format. */
export function importQemuLog(text: string, map: QemuImportMap = {}): AccessEvent[] {
  const lines = splitLines(text);
  const out: AccessEvent[] = [];
  const bars: Bar[] = [];
  const unmapped = map.unmappedNode ?? 'qemu';
  let t0: number | null = null; // first timestamp (microseconds)
  const deviceNode = (dev: string, bdf: string): string => map.devices?.[dev] ?? map.devices?.[bdf] ?? bdf;

  for (let l = 0; l < lines.length; l++) {
    const lineNo = l + 1;
    const ev = parseQemuLine(lines[l]);
    if (!ev || ev.kind === 'other') continue;
    if (ev.kind === 'bad') throw new TraceImportError(lineNo, `${ev.event}: ${ev.reason}`);
    let timeNs = 0;
    if (ev.timeUs !== null) {
      // Relative before scaling: absolute epoch nanoseconds exceed 2^53.
      if (t0 === null) t0 = ev.timeUs;
      timeNs = (ev.timeUs - t0) * 1e3;
    }
    const fail = (what: string): never => {
      throw new TraceImportError(lineNo, `${ev.kind === 'cfg' ? (ev.op === 'R' ? 'pci_cfg_read' : 'pci_cfg_write') : ev.kind}: ${what}: "${lines[l].trim()}"`);
    };

    if (ev.kind === 'mmio') {
      const addr = ev.addr;
      let node = unmapped;
      let region: Region = 'hpa';
      let space: Space = 'mem';
      let offset = addr;
      const w = map.windows?.find((x) => (x.name === undefined || x.name === ev.name) && addr >= x.base && addr < x.base + x.size);
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
      out.push({ kind: 'access', seq: out.length, timeNs, node, space, region, offset, width: ev.size as Width, op: ev.op, value: ev.value, status: 'ok' });
    } else if (ev.kind === 'cfg') {
      const offset = ev.offset;
      const width: Width = map.cfgWidth ?? (offset % 4 === 0 ? 4 : offset % 2 === 0 ? 2 : 1);
      const value = BigInt(ev.value);
      if (value >> BigInt(width * 8) !== 0n) fail(`value does not fit in ${width} bytes`);
      out.push({ kind: 'access', seq: out.length, timeNs, node: deviceNode(ev.device, formatQemuBdf(ev)), space: 'cfg', region: 'cfg', offset, width, op: ev.op, value, status: 'ok' });
    } else {
      if (ev.bar === 6) continue; // expansion ROM (PCI_ROM_SLOT): not a register BAR
      const node = deviceNode(ev.device, formatQemuBdf(ev));
      const at = bars.findIndex((b) => b.node === node && b.bar === ev.bar);
      if (at >= 0) bars.splice(at, 1);
      if (ev.op === 'add') bars.push({ node, bar: ev.bar, base: ev.base, size: ev.size });
    }
  }
  return out;
}
