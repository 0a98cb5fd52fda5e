// The PCI functions a QEMU trace log names, read through the one reader of QEMU's log text (qemu-events.ts):
// every (device type, BDF) of its pci_cfg_* and pci_update_mappings_* lines, in bus order. host/core/qemu-roles.ts
// maps them onto a topology's nodes from these structured records, never from the text.

import { formatQemuBdf, parseQemuLine } from './qemu-events.js';
import { splitLines } from './import-error.js';

export interface QemuDevice {
  /** QEMU device type as the trace prints it, e.g. "cxl-type3". */
  name: string;
  /** "bb:dd.f", lower case. */
  bdf: string;
}

const bdfKey = (bdf: string): number => {
  const [b, rest] = bdf.split(':');
  const [d, f] = rest.split('.');
  return parseInt(b, 16) * 256 + parseInt(d, 16) * 8 + Number(f);
};

/** Every distinct (device type, BDF) the log's config and BAR-mapping lines name, in bus order. */
export function scanQemuDevices(text: string): QemuDevice[] {
  const seen = new Map<string, QemuDevice>();
  for (const raw of splitLines(text)) {
    const p = parseQemuLine(raw);
    if (!p || (p.kind !== 'cfg' && p.kind !== 'bar-map')) continue;
    const bdf = formatQemuBdf(p);
    const key = `${p.device} ${bdf}`;
    if (!seen.has(key)) seen.set(key, { name: p.device, bdf });
  }
  return [...seen.values()].sort((a, b) => bdfKey(a.bdf) - bdfKey(b.bdf));
}

/** "<type>@<bb:dd.f>": how a device is named in node maps and reports. */
export const qemuDeviceKey = (d: QemuDevice): string => `${d.name}@${d.bdf}`;
