// The real captures (test/fixtures/qemu-linux) imported onto their topologies: every line accounted for, every
// config cycle with the exact width of the access that carried it, each device's accesses on its node.
import { describe, expect, it } from 'vitest';
import { QEMU_FIXTURE_NAMES, qemuFixtureDir, readQemuCapture } from '../../main/qemu/qemu-fixture.js';
import { accountedLines, importQemuTrace } from '../../trace/formats/qemu-import.js';
import { pairCfgCarriers, parseQemuLine } from '../../trace/formats/qemu-events.js';
import { TraceImportError } from '../../trace/formats/import-error.js';
import { reduceQemuTrace } from '../../main/qemu/trace-reduce.js';

const capture = (n: string) => readQemuCapture(qemuFixtureDir(n));
const imported = (n: string) => {
  const c = capture(n);
  return { c, ...importQemuTrace(c.trace, { devices: c.meta.devices, windows: c.meta.windows }) };
};
const count = (evs: { node: string; region: string }[], node: string, region?: string) => evs.filter((e) => e.node === node && (region === undefined || e.region === region)).length;

describe('importQemuTrace on real QEMU 7.2 + Linux 6.1 captures', () => {
  it.each(QEMU_FIXTURE_NAMES)('%s: lossless: every line imported, folded, a mapping, or skipped with a reason', (n) => {
    const { c, stats, events } = imported(n);
    expect(stats.lines).toBe(c.meta.trace.kept);
    expect(accountedLines(stats)).toBe(stats.lines);
    expect(stats.imported).toBe(events.length);
    // Every config cycle had its carrier beside it: no width was guessed.
    expect(stats.widthFromAlignment).toBe(0);
    expect(stats.carriers).toBeGreaterThan(1000);
    // The reduced log keeps only the CXL devices: the one thing skipped is the pxb-cxl expander function.
    expect(Object.keys(stats.skipped)).toEqual(['config cycle of the pxb-cxl expander function (no config space in the topology model)']);
  });

  it('single: BDFs placed from the bridges\' secondary bus numbers; config, BAR0 (component) and BAR2 (device) on the endpoint', () => {
    const { stats, events } = imported('single');
    expect(stats.bdfs).toEqual({ '0c:00.0': 'hb0.rp0', '0d:00.0': 'hb0.rp0.ep0' });
    expect(count(events, 'hb0.rp0', 'cfg')).toBeGreaterThan(100);
    expect(count(events, 'hb0.rp0.ep0', 'cfg')).toBeGreaterThan(100);
    expect(count(events, 'hb0.rp0.ep0', 'bar2')).toBeGreaterThan(100); // mailbox
    // The HDM decoder capability of the endpoint: CXL.cache/mem block at BAR0 + 0x1000, HDM at +0x110.
    const hdmCap = events.find((e) => e.node === 'hb0.rp0.ep0' && e.region === 'bar0' && e.offset === 0x1110 && e.op === 'R');
    expect(hdmCap).toMatchObject({ width: 4, value: 0x310n }); // QEMU 7.2: 1 decoder, target count 1, 256 B + 4 KiB granularity
    // Vendor ID read as 16 bits through pci-conf-data.
    expect(events.find((e) => e.node === 'hb0.rp0.ep0' && e.space === 'cfg' && e.offset === 0)).toMatchObject({ width: 2, value: 0x8086n });
  });

  it('interleave2: the host bridge\'s component registers (CHBCR at 4 GiB) on hb0, HDM decoder programmed for the region', () => {
    const { events } = imported('interleave2');
    const chbcr = events.filter((e) => e.node === 'hb0' && e.region === 'chbcr');
    expect(chbcr.length).toBeGreaterThan(10);
    expect(chbcr.some((e) => e.op === 'W' && e.offset === 0x1130)).toBe(true); // decoder 0 control: commit
    for (const ep of ['hb0.rp0.ep0', 'hb0.rp1.ep0']) expect(count(events, ep, 'bar2')).toBeGreaterThan(100);
  });

  it('switch4: the switch upstream port, 4 downstream ports and 4 endpoints each on their own node', () => {
    const { stats, events } = imported('switch4');
    expect(Object.values(stats.bdfs).sort()).toEqual(
      ['hb0.rp0', 'hb0.rp0.sw0.usp', ...[0, 1, 2, 3].flatMap((p) => [`hb0.rp0.sw0.dsp${p}`, `hb0.rp0.sw0.dsp${p}.ep0`])].sort(),
    );
    expect(count(events, 'hb0.rp0.sw0.usp', 'bar0')).toBeGreaterThan(0); // the switch's HDM decoder
    for (const p of [0, 1, 2, 3]) {
      expect(count(events, `hb0.rp0.sw0.dsp${p}`, 'cfg')).toBeGreaterThan(100);
      expect(count(events, `hb0.rp0.sw0.dsp${p}.ep0`, 'bar2')).toBeGreaterThan(100);
    }
  });

  it('hb2: the second host bridge (bus 0x20) and its endpoint on hb1', () => {
    const { stats } = imported('hb2');
    expect(stats.bdfs).toMatchObject({ '20:00.0': 'hb1.rp0', '21:00.0': 'hb1.rp0.ep0' });
  });

  it('a malformed line of an interpreted trace point is an error naming it (or skipped and listed on request); a cut-off last line is skipped', () => {
    const { c } = imported('single');
    const lines = c.trace.split('\n');
    lines[5] = 'pci_cfg_read cxl-rp 0c:00.0 @0x0 => 0x8086';
    const bad = lines.join('\n');
    const placement = { devices: c.meta.devices, windows: c.meta.windows };
    expect(() => importQemuTrace(bad, placement)).toThrow(TraceImportError);
    expect(() => importQemuTrace(bad, placement)).toThrow(/^line 6: pci_cfg_read: expected/);
    const skipped = importQemuTrace(bad, placement, { malformed: 'skip' });
    expect(skipped.malformed).toEqual([expect.objectContaining({ line: 6, event: 'pci_cfg_read' })]);
    expect(accountedLines(skipped.stats)).toBe(skipped.stats.lines);
    const cut = importQemuTrace(c.trace.trimEnd() + '\nmemory_region_ops_read cpu 0 mr 0x1 addr 0xfe6', placement);
    expect(cut.stats.skipped['cut-off last line (memory_region_ops_read)']).toBe(1);
  });
});

describe('reduceQemuTrace', () => {
  it('keeps every line of a reduced capture and drops the chipset\'s, counting them by trace point and region', () => {
    const c = capture('interleave2');
    const lines = c.trace.trimEnd().split('\n');
    const ranges = [{ base: 0x1_0000_0000, end: 0x1_0001_0000 }, ...c.meta.windows.map((w) => ({ base: w.base, end: w.base + w.size }))];
    const noise = [
      "memory_region_ops_write cpu 0 mr 0x1 addr 0x3f8 value 0x41 size 1 name 'serial'",
      'pci_cfg_read mch 00:00.0 @0x0 -> 0x8086',
      "memory_region_ops_read cpu 0 mr 0x1 addr 0xcfc value 0x8086 size 2 name 'pci-conf-data'",
    ];
    const r = reduceQemuTrace([...noise, ...lines], ranges);
    expect(r.kept).toEqual(lines);
    expect(r.dropped).toEqual({ "memory_region_ops_write 'serial'": 1, pci_cfg_read: 1, "memory_region_ops_read 'pci-conf-data'": 1 });
    expect(r.total).toBe(lines.length + 3);
  });
});

describe('qemu-events', () => {
  it('parses each trace point, masks QEMU\'s raw wide values to the access size', () => {
    expect(parseQemuLine('pci_cfg_write cxl-rp 0c:00.0 @0x19 <- 0xd')).toMatchObject({ kind: 'cfg', op: 'W', device: 'cxl-rp', bus: 12, dev: 0, fn: 0, offset: 0x19, value: 0xd });
    expect(parseQemuLine("memory_region_ops_read cpu 0 mr 0x5 addr 0xfed00000 value 0x9896808086a201 size 4 name 'hpet'")).toMatchObject({ kind: 'mmio', value: 0x8086a201n, size: 4, name: 'hpet' });
    expect(parseQemuLine('pci_update_mappings_add cxl-type3 0d:00.0 2,0xfe610000+0x1000')).toMatchObject({ kind: 'bar-map', op: 'add', bar: 2, base: 0xfe610000, size: 0x1000 });
    expect(parseQemuLine('123@1700000000.000123:pci_cfg_read mch 00:00.0 @0x0 -> 0x8086')).toMatchObject({ kind: 'cfg', timeUs: 1700000000 * 1e6 + 123 });
    expect(parseQemuLine('vfio_msix_enable x')).toMatchObject({ kind: 'other', event: 'vfio_msix_enable' });
    expect(parseQemuLine("memory_region_ops_read cpu 0 mr 0x5 addr 0x10 value 0x1 size 3 name 'x'")).toMatchObject({ kind: 'bad' });
  });

  it('pairs a read with the carrier after it and a write with the carrier before it, only when the byte lane agrees', () => {
    const lines = [
      'pci_cfg_read cxl-type3 0d:00.0 @0xe -> 0x0',
      "memory_region_ops_read cpu 0 mr 0x1 addr 0xcfe value 0x0 size 1 name 'pci-conf-data'",
      "memory_region_ops_write cpu 0 mr 0x1 addr 0xb0d00104 value 0x1 size 4 name 'pcie-mmcfg-mmio'",
      'pci_cfg_write cxl-type3 0d:00.0 @0x104 <- 0x1',
      'pci_cfg_read cxl-type3 0d:00.0 @0x8 -> 0x5',
      "memory_region_ops_read cpu 0 mr 0x1 addr 0xcfd value 0x5 size 1 name 'pci-conf-data'",
    ].map(parseQemuLine);
    const { width, carrier } = pairCfgCarriers(lines);
    expect(width[0]).toBe(1);
    expect(width[3]).toBe(4);
    expect(width[4]).toBeUndefined(); // lane 1 is not offset 0x8's lane 0
    expect(carrier).toEqual([false, true, true, false, false, false]);
  });
});
