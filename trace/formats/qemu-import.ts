// A QEMU + Linux trace log onto a topology's nodes, losslessly accounted: every input line is either imported
// as an access event, folded into one (the port-I/O / ECAM access that carried a config cycle, which gives that
// cycle its exact width), used as state (a BAR mapping), or skipped with a reason; `stats` counts each.
//
// Where QEMU's devices are: the placement (main/qemu/cmdline.ts planQemu) says which node each QEMU device is,
// below which parent and in which slot, and each host bridge's bus number and CHBCR. Bus numbers below a host
// bridge are the guest's (firmware assigns them): the secondary bus number each bridge was last given in the
// trace (config byte 0x19) places the devices on it. MMIO lands on a node by the BARs mapped so far
// (pci_update_mappings_add/del) and the host bridges' CHBCRs; accesses inside a CXL window are memory by HPA
// (node "platform", space 'mem', region 'hpa').

import type { Region, Width } from '../../common/access.js';
import type { AccessEvent } from '../event.js';
import { TraceImportError, splitLines } from './import-error.js';
import { QEMU_CXL_DEVICE_TYPES, formatQemuBdf, pairCfgCarriers, parseQemuLine, type QemuLine } from './qemu-events.js';

export interface QemuPlacedDevice {
  /** QEMU -device type: pxb-cxl, cxl-rp, cxl-upstream, cxl-downstream, cxl-type3. */
  type: string;
  node: string;
  parent: string | null;
  /** Slot on the parent's secondary bus (or on the host bridge's root bus for root ports). */
  slot: number;
  busNr?: number;
  chbcr?: number;
}

export interface QemuPlacement {
  devices: readonly QemuPlacedDevice[];
  /** CXL fixed memory windows (HPA ranges). */
  windows?: readonly { base: number; size: number }[];
  /** Size of each CHBCR (64 KiB). */
  chbcrSize?: number;
  /**
   * Devices placed by BDF directly ("bb:dd.f" → QEMU type and node), for logs whose command line is not the
   * topology's own (devices mapped by role and position, or by the user). Wins over the slot placement.
   */
  bdfs?: Readonly<Record<string, { type: string; node: string }>>;
  /** Keep MMIO that no device, CHBCR or window claims, as memory by address on this node (default: skipped). */
  unplacedMmioNode?: string;
}

export interface QemuImportStats {
  /** Input lines (blank lines included). */
  lines: number;
  /** Access events produced. */
  imported: number;
  /** Carrier accesses folded into the config cycle they carried. */
  carriers: number;
  /** BAR mapping lines (used to place MMIO). */
  mappings: number;
  /** Config cycles whose width came from the offset's alignment (no carrier beside them). */
  widthFromAlignment: number;
  blank: number;
  /** Reason → lines. */
  skipped: Record<string, number>;
  /** "bb:dd.f" → node, as placed. */
  bdfs: Record<string, string>;
}

export interface QemuImportResult {
  events: AccessEvent[];
  stats: QemuImportStats;
  /** Indexes in `events` of config cycles whose width came from the offset's alignment. */
  guessedWidth: number[];
  /** Malformed lines skipped (malformed: 'skip'), with their line numbers. */
  malformed: { line: number; event: string; reason: string }[];
}

export const PLATFORM_NODE = 'platform';

const secondaryBus = (offset: number, width: number, value: number): number | null => {
  // Config byte 0x19 = Secondary Bus Number (PCI-to-PCI bridge header, PCIe Base 7.5.1.3).
  if (offset === 0x19 && width >= 1) return value & 0xff;
  if (offset === 0x18 && width >= 2) return (value >>> 8) & 0xff;
  return null;
};

/** Placement of each BDF: host bridges by bus number, everything below by the bridges' secondary buses. */
function placeBdfs(parsed: readonly (QemuLine | null)[], widths: readonly (number | undefined)[], placement: QemuPlacement): Map<string, QemuPlacedDevice> {
  const secondary = new Map<string, number>(); // bridge BDF → last secondary bus seen
  parsed.forEach((p, i) => {
    if (!p || p.kind !== 'cfg') return;
    const w = widths[i] ?? (p.offset % 4 === 0 ? 4 : p.offset % 2 === 0 ? 2 : 1);
    const s = secondaryBus(p.offset, w, p.value);
    if (s !== null) secondary.set(formatQemuBdf(p), s);
  });
  const byBdf = new Map<string, QemuPlacedDevice>();
  const children = new Map<string, QemuPlacedDevice[]>();
  for (const d of placement.devices) {
    if (d.parent === null) continue;
    const list = children.get(d.parent) ?? [];
    list.push(d);
    children.set(d.parent, list);
  }
  const place = (bus: number, parent: string) => {
    for (const c of children.get(parent) ?? []) {
      const bdf = formatQemuBdf({ bus, dev: c.slot, fn: 0 });
      byBdf.set(bdf, c);
      const sec = secondary.get(bdf);
      if (sec !== undefined && sec !== 0 && sec !== bus) place(sec, c.node);
    }
  };
  for (const hb of placement.devices) if (hb.type === 'pxb-cxl' && hb.busNr !== undefined) place(hb.busNr, hb.node);
  for (const [bdf, d] of Object.entries(placement.bdfs ?? {})) byBdf.set(bdf, { type: d.type, node: d.node, parent: null, slot: 0 });
  return byBdf;
}

/**
 * Import a QEMU trace log onto the placement's nodes. A line of a trace point this reader interprets that does
 * not parse is a TraceImportError naming the line, except a cut-off last line (no newline after it: QEMU killed
 * mid-write), which is skipped with that reason.
 */
export function importQemuTrace(text: string, placement: QemuPlacement, opts: { malformed?: 'throw' | 'skip' } = {}): QemuImportResult {
  const lines = splitLines(text);
  const parsed = lines.map(parseQemuLine);
  const malformed: { line: number; event: string; reason: string }[] = [];
  parsed.forEach((p, i) => {
    // Only a last line without its newline was cut off; a complete malformed line is an error wherever it is.
    const cutOff = i === lines.length - 1 && !/\n$/.test(text);
    if (p?.kind !== 'bad' || cutOff) return;
    if (opts.malformed !== 'skip') throw new TraceImportError(i + 1, `${p.event}: ${p.reason}`);
    malformed.push({ line: i + 1, event: p.event, reason: p.reason });
  });
  const { width, carrier } = pairCfgCarriers(parsed);
  const byBdf = placeBdfs(parsed, width, placement);
  const chbcrSize = placement.chbcrSize ?? 0x10000;
  const chbcrs = placement.devices.filter((d) => d.type === 'pxb-cxl' && d.chbcr !== undefined).map((d) => ({ node: d.node, base: d.chbcr!, end: d.chbcr! + chbcrSize }));
  const windows = placement.windows ?? [];
  const bars = new Map<string, { node: string; bar: number; base: number; end: number }>();

  const stats: QemuImportStats = { lines: lines.length, imported: 0, carriers: 0, mappings: 0, widthFromAlignment: 0, blank: 0, skipped: {}, bdfs: {} };
  for (const [bdf, d] of byBdf) stats.bdfs[bdf] = d.node;
  const skip = (why: string) => {
    stats.skipped[why] = (stats.skipped[why] ?? 0) + 1;
  };
  const events: AccessEvent[] = [];
  const guessedWidth: number[] = [];
  // Time from the first timestamped line (QEMU's start when the log has -msg timestamp=on), in ns.
  let t0: number | null = null;
  for (const p of parsed) if (p && p.kind !== 'bad' && p.timeUs !== null) {
    t0 = p.timeUs;
    break;
  }
  const timeOf = (us: number | null): number => (us === null || t0 === null ? 0 : (us - t0) * 1e3);

  for (let i = 0; i < parsed.length; i++) {
    const p = parsed[i];
    if (p === null) {
      if (lines[i].trim() === '') stats.blank++;
      else skip('not a trace line');
      continue;
    }
    if (p.kind === 'bad') {
      skip(i === lines.length - 1 ? `cut-off last line (${p.event})` : `malformed ${p.event} line`);
      continue;
    }
    if (p.kind === 'other') {
      skip(`trace point ${p.event} (not imported)`);
      continue;
    }
    if (carrier[i]) {
      stats.carriers++;
      continue;
    }
    if (p.kind === 'cfg') {
      const bdf = formatQemuBdf(p);
      const d = byBdf.get(bdf);
      if (!d) {
        skip(QEMU_CXL_DEVICE_TYPES.has(p.device) ? (p.device === 'pxb-cxl' ? 'config cycle of the pxb-cxl expander function (no config space in the topology model)' : `config cycle of ${p.device} ${bdf}: not in the topology`) : `config cycle of a non-CXL device (${p.device})`);
        continue;
      }
      if (d.type !== p.device) {
        skip(`config cycle of ${p.device} ${bdf}: the topology has a ${d.type} there`);
        continue;
      }
      let w = width[i];
      if (w === undefined) {
        w = p.offset % 4 === 0 ? 4 : p.offset % 2 === 0 ? 2 : 1;
        stats.widthFromAlignment++;
        guessedWidth.push(events.length);
      }
      events.push({ kind: 'access', seq: events.length, timeNs: timeOf(p.timeUs), node: d.node, space: 'cfg', region: 'cfg', offset: p.offset, width: w as Width, op: p.op, value: BigInt(p.value) & ((1n << BigInt(8 * w)) - 1n), status: 'ok' });
      stats.imported++;
      continue;
    }
    if (p.kind === 'bar-map') {
      stats.mappings++;
      const d = byBdf.get(formatQemuBdf(p));
      const key = `${formatQemuBdf(p)}/${p.bar}`;
      if (p.op === 'del' || !d || d.type !== p.device) bars.delete(key);
      else bars.set(key, { node: d.node, bar: p.bar, base: p.base, end: p.base + p.size });
      continue;
    }
    // MMIO
    const a = p.addr;
    let placed: { node: string; region: Region; offset: number; space: 'mmio' | 'mem' } | null = null;
    for (const b of bars.values())
      if (a >= b.base && a < b.end) {
        placed = b.bar <= 5 ? { node: b.node, region: `bar${b.bar}` as Region, offset: a - b.base, space: 'mmio' } : null;
        break;
      }
    if (!placed)
      for (const c of chbcrs)
        if (a >= c.base && a < c.end) {
          placed = { node: c.node, region: 'chbcr', offset: a - c.base, space: 'mmio' };
          break;
        }
    if (!placed && windows.some((w) => a >= w.base && a < w.base + w.size)) placed = { node: PLATFORM_NODE, region: 'hpa', offset: a, space: 'mem' };
    if (!placed && placement.unplacedMmioNode !== undefined) placed = { node: placement.unplacedMmioNode, region: 'hpa', offset: a, space: 'mem' };
    if (!placed) {
      skip(`MMIO outside the CXL devices (${p.name ?? 'unnamed region'})`);
      continue;
    }
    events.push({ kind: 'access', seq: events.length, timeNs: timeOf(p.timeUs), node: placed.node, space: placed.space, region: placed.region, offset: placed.offset, width: p.size, op: p.op, value: p.value, status: 'ok' });
    stats.imported++;
  }
  return { events, stats, guessedWidth, malformed };
}

/** Lines accounted for: equals stats.lines when nothing was lost. */
export const accountedLines = (s: QemuImportStats): number =>
  s.imported + s.carriers + s.mappings + s.blank + Object.values(s.skipped).reduce((a, b) => a + b, 0);
