// QEMU's CXL devices as our topology's nodes, by role and position. A QEMU trace log names each PCI function
// by device type and BDF (`pci_cfg_read cxl-rp 0c:00.0 @0x0 -> 0x8086`); our runs name nodes by topology path
// (hb0.rp0). Each QEMU device type has one role (pxb-cxl host bridge, cxl-rp root port, cxl-upstream /
// cxl-downstream switch ports, cxl-type3 memory device); the n-th device of a role in bus order becomes the
// n-th node of that kind in path order — the order in which firmware enumerates both (depth first).

import type { Layout, NodeKind } from '../../common/layout.js';

/** QEMU -device type → our node kind (reference/qemu-cxl.md §1). */
export const QEMU_DEVICE_ROLES: Readonly<Record<string, NodeKind>> = {
  'pxb-cxl': 'host-bridge',
  'cxl-rp': 'root-port',
  'cxl-upstream': 'switch-usp',
  'cxl-downstream': 'switch-dsp',
  'cxl-type3': 'type3',
};

export interface QemuDevice {
  /** QEMU device type as the trace prints it, e.g. "cxl-type3". */
  name: string;
  /** "bb:dd.f", lower case. */
  bdf: string;
}

const CFG_LINE = /^(?:\d+@\d+\.\d+:)?(pci_cfg_read|pci_cfg_write|pci_update_mappings_add|pci_update_mappings_del) (\S+) ([0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]) /;
const MAPPING_ADD = /^(?:\d+@\d+\.\d+:)?pci_update_mappings_(add|del) \S+ ([0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]) (\d+),0x([0-9a-fA-F]+)\+0x([0-9a-fA-F]+)/;
const MR_LINE = /^(?:\d+@\d+\.\d+:)?memory_region_ops_(?:read|write) cpu -?\d+ mr \S+ addr 0x([0-9a-fA-F]+) /;

const bdfKey = (bdf: string): number => {
  const [b, rest] = bdf.split(':');
  const [d, f] = rest.split('.');
  return parseInt(b, 16) * 256 + parseInt(d, 16) * 8 + Number(f);
};

/** Every distinct (device type, BDF) the log's pci_* lines name, in bus order. */
export function scanQemuDevices(text: string): QemuDevice[] {
  const seen = new Map<string, QemuDevice>();
  for (const raw of text.split(/\r?\n/)) {
    const m = CFG_LINE.exec(raw.trim());
    if (!m) continue;
    const bdf = m[3].toLowerCase();
    if (!seen.has(`${m[2]} ${bdf}`)) seen.set(`${m[2]} ${bdf}`, { name: m[2], bdf });
  }
  return [...seen.values()].sort((a, b) => bdfKey(a.bdf) - bdfKey(b.bdf));
}

export interface QemuNodeMapping {
  /** "<type>@<bb:dd.f>" → node path, for the devices of a known role that the layout has a node for. */
  devices: Record<string, string>;
  /** Devices of a known role and their node, in bus order (for reports). */
  mapped: (QemuDevice & { node: string })[];
  /** Devices of no CXL role (the chipset, other PCI devices) or more than the layout has nodes for. */
  unmapped: QemuDevice[];
}

export const qemuDeviceKey = (d: QemuDevice): string => `${d.name}@${d.bdf}`;

/** Map QEMU's devices onto `layout`'s nodes by role and position; `explicit` (QEMU name or BDF → node) wins. */
export function mapQemuDevices(found: readonly QemuDevice[], layout: Layout, explicit: Readonly<Record<string, string>> = {}): QemuNodeMapping {
  const byKind = new Map<NodeKind, string[]>();
  for (const n of [...layout].sort((a, b) => a.node.localeCompare(b.node))) {
    const list = byKind.get(n.kind) ?? [];
    list.push(n.node);
    byKind.set(n.kind, list);
  }
  const used = new Map<NodeKind, number>();
  const out: QemuNodeMapping = { devices: {}, mapped: [], unmapped: [] };
  for (const d of found) {
    let node: string | undefined = explicit[d.bdf] ?? explicit[d.name];
    const kind = QEMU_DEVICE_ROLES[d.name];
    if (node === undefined && kind) {
      const i = used.get(kind) ?? 0;
      node = byKind.get(kind)?.[i];
      if (node !== undefined) used.set(kind, i + 1);
    }
    if (node === undefined) out.unmapped.push(d);
    else {
      out.devices[qemuDeviceKey(d)] = node;
      out.mapped.push({ ...d, node });
    }
  }
  return out;
}

/**
 * The part of a QEMU log that concerns the mapped devices, with each device named "<type>@<bb:dd.f>" so that
 * two devices of one type stay apart through the importer's by-name device map: pci_cfg and BAR mapping lines
 * of mapped devices, and memory_region_ops lines inside a BAR such a device has mapped (pci_update_mappings
 * seen so far). Everything else (the chipset, RTC, APIC, other devices) is left out.
 */
export function qemuLogForReplay(text: string, mapping: QemuNodeMapping): string {
  const keys = new Set(Object.keys(mapping.devices));
  const bars: { bdf: string; bar: number; base: number; size: number }[] = [];
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const cfg = CFG_LINE.exec(line);
    if (cfg) {
      const key = `${cfg[2]}@${cfg[3].toLowerCase()}`;
      if (!keys.has(key)) continue;
      const map = MAPPING_ADD.exec(line);
      if (map) {
        const bdf = map[2].toLowerCase();
        const bar = Number(map[3]);
        const at = bars.findIndex((b) => b.bdf === bdf && b.bar === bar);
        if (at >= 0) bars.splice(at, 1);
        if (map[1] === 'add') bars.push({ bdf, bar, base: parseInt(map[4], 16), size: parseInt(map[5], 16) });
      }
      out.push(line.replace(` ${cfg[2]} ${cfg[3]} `, ` ${key} ${cfg[3]} `));
      continue;
    }
    const mr = MR_LINE.exec(line);
    if (mr) {
      const addr = parseInt(mr[1], 16);
      if (bars.some((b) => addr >= b.base && addr < b.base + b.size)) out.push(line);
    }
  }
  return out.join('\n') + '\n';
}
