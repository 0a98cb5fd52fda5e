// QEMU trace log lines as structured events: the one place that knows the text of QEMU's trace points (the
// `log` backend: "[pid@sec.usec:]event args"). Formats from QEMU 7.2's hw/pci/trace-events and
// softmmu/trace-events, checked against real logs (test/fixtures/qemu-linux):
//
//   pci_cfg_read  <dev> bb:dd.f @0xOFF -> 0xVAL          pci_cfg_write <dev> bb:dd.f @0xOFF <- 0xVAL
//   pci_update_mappings_add|del <dev> bb:dd.f BAR,0xADDR+0xSIZE
//   memory_region_ops_read|write cpu N mr 0xPTR addr 0xADDR value 0xVAL size N [name 'NAME']
//
// pci_cfg_* carry no width. The access that carried a config cycle does: port I/O on 'pci-conf-data'
// (0xcfc + offset % 4) or ECAM on 'pcie-mmcfg-mmio'. QEMU traces a read after the device answered (the
// pci_cfg_read line comes first, then the carrier's memory_region_ops_read) and a write before it is
// dispatched (memory_region_ops_write first, then pci_cfg_write). pairCfgCarriers() joins them.

/** QEMU device types of a CXL topology (reference/qemu-cxl.md §1). */
export const QEMU_CXL_DEVICE_TYPES: ReadonlySet<string> = new Set(['pxb-cxl', 'cxl-rp', 'cxl-upstream', 'cxl-downstream', 'cxl-type3']);

/** Memory regions through which config cycles reach a device: the CF8/CFC data port and ECAM. */
export const CFG_CARRIERS: ReadonlySet<string> = new Set(['pci-conf-data', 'pcie-mmcfg-mmio']);

export interface QemuLinePrefix {
  /** Seconds.microseconds of the log backend's optional prefix, as microseconds. */
  timeUs: number | null;
}

export interface QemuCfgEvent extends QemuLinePrefix {
  kind: 'cfg';
  op: 'R' | 'W';
  device: string;
  bus: number;
  dev: number;
  fn: number;
  offset: number;
  value: number;
}

export interface QemuMmioEvent extends QemuLinePrefix {
  kind: 'mmio';
  op: 'R' | 'W';
  cpu: number;
  addr: number;
  value: bigint;
  size: 1 | 2 | 4 | 8;
  /** Memory region name (QEMU ≥ 6.x prints it). */
  name: string | null;
}

export interface QemuBarMapEvent extends QemuLinePrefix {
  kind: 'bar-map';
  op: 'add' | 'del';
  device: string;
  bus: number;
  dev: number;
  fn: number;
  bar: number;
  base: number;
  size: number;
}

/** A trace point this reader does not interpret (another device's events, QEMU messages). */
export interface QemuOtherLine extends QemuLinePrefix {
  kind: 'other';
  event: string;
}

/** A line of an interpreted trace point that does not parse: the reason names what was expected. */
export interface QemuBadLine {
  kind: 'bad';
  event: string;
  reason: string;
}

export type QemuLine = QemuCfgEvent | QemuMmioEvent | QemuBarMapEvent | QemuOtherLine | QemuBadLine;

const PREFIX = /^(?:(\d+)@(\d+)\.(\d+):)?([A-Za-z0-9_]+)(?: (.*))?$/;
const MR_OPS = /^cpu (-?\d+) mr (\S+) addr 0x([0-9a-fA-F]+) value 0x([0-9a-fA-F]+) size (\d+)(?: name '(.*)')?$/;
const CFG = /^(\S+) ([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\.([0-7]) @0x([0-9a-fA-F]+) (->|<-) 0x([0-9a-fA-F]+)$/;
const MAPPING = /^(\S+) ([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\.([0-7]) (\d+),0x([0-9a-fA-F]+)\+0x([0-9a-fA-F]+)$/;

const hex = (s: string): number => parseInt(s, 16);

/** One line of a QEMU trace log; null for an empty line or one that is not a trace point at all. */
export function parseQemuLine(raw: string): QemuLine | null {
  const line = raw.trim();
  if (line === '') return null;
  const m = PREFIX.exec(line);
  if (!m) return null;
  const event = m[4];
  const rest = m[5] ?? '';
  const timeUs = m[2] !== undefined ? Number(m[2]) * 1e6 + Number(m[3]) : null;
  const bad = (reason: string): QemuBadLine => ({ kind: 'bad', event, reason: `${reason}: "${rest}"` });
  switch (event) {
    case 'memory_region_ops_read':
    case 'memory_region_ops_write': {
      const f = MR_OPS.exec(rest);
      if (!f) return bad("expected \"cpu N mr 0x… addr 0x… value 0x… size N name '…'\"");
      const addr = hex(f[3]);
      if (!Number.isSafeInteger(addr)) return bad('address beyond 2^53');
      const size = Number(f[5]);
      if (size !== 1 && size !== 2 && size !== 4 && size !== 8) return bad(`size ${size} is not 1, 2, 4 or 8`);
      // QEMU traces the device callback's raw return, before the memory core truncates it to the access size:
      // unassigned port I/O prints 64-bit all-ones, an absent function's config read through pci-conf-data
      // prints ~0u at size 2, the HPET returns its 64-bit register for a 4-byte read. The guest saw the low
      // `size` bytes; that is the access's value.
      const value = BigInt('0x' + f[4]) & ((1n << BigInt(size * 8)) - 1n);
      return { kind: 'mmio', op: event.endsWith('read') ? 'R' : 'W', cpu: Number(f[1]), addr, value, size, name: f[6] ?? null, timeUs };
    }
    case 'pci_cfg_read':
    case 'pci_cfg_write': {
      const f = CFG.exec(rest);
      if (!f) return bad(`expected "<device> bb:dd.f @0xOFF ${event === 'pci_cfg_read' ? '->' : '<-'} 0xVALUE"`);
      if ((f[6] === '->') !== (event === 'pci_cfg_read')) return bad(`arrow ${f[6]} does not match ${event}`);
      const offset = hex(f[5]);
      if (offset >= 4096) return bad(`config offset 0x${f[5]} beyond 4 KiB`);
      const value = hex(f[7]);
      if (value > 0xffff_ffff) return bad('value wider than 32 bits');
      return { kind: 'cfg', op: event === 'pci_cfg_read' ? 'R' : 'W', device: f[1], bus: hex(f[2]), dev: hex(f[3]), fn: Number(f[4]), offset, value, timeUs };
    }
    case 'pci_update_mappings_add':
    case 'pci_update_mappings_del': {
      const f = MAPPING.exec(rest);
      if (!f) return bad('expected "<device> bb:dd.f BAR,0xADDR+0xSIZE"');
      const bar = Number(f[5]);
      if (bar > 6) return bad(`BAR ${bar} out of range`);
      const base = hex(f[6]);
      const size = hex(f[7]);
      if (!Number.isSafeInteger(base + size)) return bad('mapping beyond 2^53');
      return { kind: 'bar-map', op: event.endsWith('add') ? 'add' : 'del', device: f[1], bus: hex(f[2]), dev: hex(f[3]), fn: Number(f[4]), bar, base, size, timeUs };
    }
    default:
      return { kind: 'other', event, timeUs };
  }
}

/** "bb:dd.f" */
export const formatQemuBdf = (e: { bus: number; dev: number; fn: number }): string =>
  `${e.bus.toString(16).padStart(2, '0')}:${e.dev.toString(16).padStart(2, '0')}.${e.fn}`;

/**
 * For each config cycle, the width of the port-I/O or ECAM access that carried it, when the log has it next to
 * the cycle (read: the line after; write: the line before) and its address agrees with the offset. Returns
 * `width[i]` for config lines and marks the carrier lines in `carrier` so they are not counted twice.
 */
export function pairCfgCarriers(lines: readonly (QemuLine | null)[]): { width: (1 | 2 | 4 | undefined)[]; carrier: boolean[] } {
  const width: (1 | 2 | 4 | undefined)[] = new Array(lines.length);
  const carrier: boolean[] = new Array(lines.length).fill(false);
  for (let i = 0; i < lines.length; i++) {
    const c = lines[i];
    if (!c || c.kind !== 'cfg') continue;
    const j = c.op === 'R' ? i + 1 : i - 1;
    const m = lines[j];
    if (!m || m.kind !== 'mmio' || m.op !== c.op || carrier[j] || m.name === null || !CFG_CARRIERS.has(m.name) || m.size === 8) continue;
    // pci-conf-data: port 0xcfc..0xcff, byte lane = offset % 4. ECAM: the low 12 bits are the offset.
    const lane = m.name === 'pci-conf-data' ? m.addr - 0xcfc : m.addr & 0xfff;
    const ok = m.name === 'pci-conf-data' ? lane === c.offset % 4 : lane === c.offset;
    if (!ok) continue;
    width[i] = m.size;
    carrier[j] = true;
  }
  return { width, carrier };
}
