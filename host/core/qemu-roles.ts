// QEMU's CXL devices as our topology's nodes, by role and position. A QEMU trace log names each PCI function
// by device type and BDF; trace/formats/qemu-devices.ts reads them (the log's text is parsed only in
// trace/formats); our runs name nodes by topology path (hb0.rp0). Each QEMU device type has one role (pxb-cxl
// host bridge, cxl-rp root port, cxl-upstream / cxl-downstream switch ports, cxl-type3 memory device); the n-th
// device of a role in bus order becomes the n-th node of that kind in path order — the order in which firmware
// enumerates both (depth first).

import type { Layout, NodeKind } from '../../common/layout.js';

/** QEMU -device type → our node kind (reference/qemu-cxl.md §1). */
export const QEMU_DEVICE_ROLES: Readonly<Record<string, NodeKind>> = {
  'pxb-cxl': 'host-bridge',
  'cxl-rp': 'root-port',
  'cxl-upstream': 'switch-usp',
  'cxl-downstream': 'switch-dsp',
  'cxl-type3': 'type3',
};

/** A PCI function of a QEMU log (trace/formats/qemu-devices.ts reads them from the text). */
export interface QemuDevice {
  /** QEMU device type as the trace prints it, e.g. "cxl-type3". */
  name: string;
  /** "bb:dd.f", lower case. */
  bdf: string;
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

/** Map QEMU's devices onto `layout`'s nodes by role and position; `explicit` ("type@bdf", BDF or QEMU type → node) wins. */
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
    let node: string | undefined = explicit[qemuDeviceKey(d)] ?? explicit[d.bdf] ?? explicit[d.name];
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
