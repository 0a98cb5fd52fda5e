// A hand-written QEMU log in the real trace-event formats (system/trace-events, hw/pci/trace-events), with
// the log backend's "pid@sec.usec:" prefix on some lines and unrelated lines mixed in.
import { describe, expect, it } from 'vitest';
import { TraceImportError, importQemuLog } from '../../trace/formats/index.js';

const LOG = [
  'qemu-system-x86_64: -device cxl-type3: warning: something unrelated',
  '4242@1700000000.000100:pci_cfg_read cxl-type3 0d:00.0 @0x0 -> 0xd938086',
  '4242@1700000000.000102:pci_cfg_write cxl-type3 0d:00.0 @0x10 <- 0xffffffff',
  '4242@1700000000.000103:pci_cfg_read cxl-type3 0d:00.0 @0x6 -> 0x10',
  '4242@1700000000.000110:pci_update_mappings_add cxl-type3 0d:00.0 2,0xfe800000+0x1000',
  '4242@1700000000.000111:pci_update_mappings_add cxl-type3 0d:00.0 6,0xfe900000+0x1000',
  "4242@1700000000.000120:memory_region_ops_write cpu 0 mr 0x55d0c0a1b2c0 addr 0xfe800004 value 0x1 size 4 name 'cxl-device-registers'",
  "4242@1700000000.000125:memory_region_ops_read cpu 0 mr 0x55d0c0a1b2c0 addr 0xfe800010 value 0x0 size 8 name 'cxl-device-registers'",
  'vfio_region_read something else 0x1',
  "memory_region_ops_read cpu 1 mr 0x55d0c0a1b300 addr 0x290000000 value 0xdeadbeef size 4 name 'cxl-fixed-memory-region'",
  "4242@1700000000.000130:memory_region_ops_read cpu 0 mr 0x55d0c0a1b400 addr 0xfea00040 value 0x7 size 4 name 'cxl-component'",
  '4242@1700000000.000140:pci_update_mappings_del cxl-type3 0d:00.0 2,0xfe800000+0x1000',
  "4242@1700000000.000150:memory_region_ops_read cpu 0 mr 0x55d0c0a1b2c0 addr 0xfe800004 value 0x0 size 4",
].join('\n');

describe('importQemuLog', () => {
  const map = {
    devices: { 'cxl-type3': 'hb0.rp0.ep0' },
    windows: [{ name: 'cxl-component', base: 0xfea00000, size: 0x10000, node: 'hb0.rp0.ep0', region: 'bar0' as const }],
  };

  it('parses config, MMIO and memory accesses, mapping addresses to BAR offsets', () => {
    const evs = importQemuLog(LOG, map);
    expect(evs.map((e) => [e.seq, e.node, e.space, e.region, e.offset, e.width, e.op, e.value])).toEqual([
      [0, 'hb0.rp0.ep0', 'cfg', 'cfg', 0x0, 4, 'R', 0xd938086n],
      [1, 'hb0.rp0.ep0', 'cfg', 'cfg', 0x10, 4, 'W', 0xffffffffn],
      [2, 'hb0.rp0.ep0', 'cfg', 'cfg', 0x6, 2, 'R', 0x10n],
      [3, 'hb0.rp0.ep0', 'mmio', 'bar2', 0x4, 4, 'W', 1n], // inferred from pci_update_mappings_add
      [4, 'hb0.rp0.ep0', 'mmio', 'bar2', 0x10, 8, 'R', 0n],
      [5, 'qemu', 'mem', 'hpa', 0x290000000, 4, 'R', 0xdeadbeefn], // no window: absolute
      [6, 'hb0.rp0.ep0', 'mmio', 'bar0', 0x40, 4, 'R', 7n], // user window by region name
      [7, 'qemu', 'mem', 'hpa', 0xfe800004, 4, 'R', 0n], // BAR unmapped again; old format without name
    ]);
    expect(evs.slice(0, 4).map((e) => e.timeNs)).toEqual([0, 2000, 3000, 20000]);
  });

  it('names the node by BDF when the device map does not', () => {
    expect(importQemuLog(LOG)[0].node).toBe('0d:00.0');
  });

  it('rejects a malformed line of a known event with its line number', () => {
    const bad = LOG.replace('@0x6 -> 0x10', '@0x6 => 0x10');
    expect(() => importQemuLog(bad)).toThrow(TraceImportError);
    expect(() => importQemuLog(bad)).toThrow(/^line 4: pci_cfg_read: expected/);
    // QEMU prints the device's raw return (e.g. the HPET's 64-bit register for a 4-byte read): the guest saw the low bytes.
    const big = LOG.replace('value 0x1 size 4', 'value 0x1ffffffff size 4');
    expect(importQemuLog(big).find((e) => e.op === 'W' && e.space !== 'cfg')?.value).toBe(0xffffffffn);
    const size = LOG.replace('value 0x1 size 4', 'value 0x1 size 3');
    expect(() => importQemuLog(size)).toThrow(/line 7: .*size 3 is not 1, 2, 4 or 8/);
  });
});
