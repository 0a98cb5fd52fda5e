// Reduce a QEMU trace log to the lines about the CXL devices, for small fixtures: their config cycles with
// the port-I/O or ECAM access that carried each one (which gives its width), their BAR (un)mappings, and MMIO
// inside their BARs, the host bridges' component registers or the CXL windows. Every other line is counted by event (and
// memory-region name) so the reduction is stated, not silent.

import { QEMU_CXL_DEVICE_TYPES, CFG_CARRIERS } from '../../trace/formats/qemu-events.js';

export interface ReduceResult {
  kept: string[];
  total: number;
  /** "event" or "event 'region'" → lines dropped. */
  dropped: Record<string, number>;
}

const CFG = /^(?:\d+@\d+\.\d+:)?(pci_cfg_read|pci_cfg_write) (\S+) /;
const MAP = /^(?:\d+@\d+\.\d+:)?pci_update_mappings_(add|del) (\S+) ([0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) (\d+),0x([0-9a-f]+)\+0x([0-9a-f]+)/i;
const MR = /^(?:\d+@\d+\.\d+:)?(memory_region_ops_(?:read|write)) .* addr 0x([0-9a-f]+) .* name '([^']*)'$/i;
const EVENT = /^(?:\d+@\d+\.\d+:)?([a-z0-9_]+)/i;

/** `ranges`: [base, end) of the host bridges' component registers and the CXL windows (memory by HPA). */
export function reduceQemuTrace(lines: readonly string[], ranges: readonly { base: number; end: number }[]): ReduceResult {
  const kept: string[] = [];
  const dropped: Record<string, number> = {};
  const bars = new Map<string, { base: number; end: number }>();
  const keepIdx = new Set<number>();
  const drop = (key: string) => {
    dropped[key] = (dropped[key] ?? 0) + 1;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const cfg = CFG.exec(line);
    if (cfg) {
      if (!QEMU_CXL_DEVICE_TYPES.has(cfg[2])) continue;
      keepIdx.add(i);
      // The carrier: after a read (traced inside the access), before a write (traced before dispatch).
      const j = cfg[1] === 'pci_cfg_read' ? i + 1 : i - 1;
      const mr = j >= 0 && j < lines.length ? MR.exec(lines[j]) : null;
      if (mr && CFG_CARRIERS.has(mr[3]) && (mr[1] === 'memory_region_ops_read') === (cfg[1] === 'pci_cfg_read')) keepIdx.add(j);
      continue;
    }
    const map = MAP.exec(line);
    if (map) {
      if (!QEMU_CXL_DEVICE_TYPES.has(map[2])) continue;
      keepIdx.add(i);
      const key = `${map[3]}/${map[4]}`;
      if (map[1] === 'add') bars.set(key, { base: parseInt(map[5], 16), end: parseInt(map[5], 16) + parseInt(map[6], 16) });
      else bars.delete(key);
      continue;
    }
    const mr = MR.exec(line);
    if (mr) {
      const a = parseInt(mr[2], 16);
      if (ranges.some((r) => a >= r.base && a < r.end) || [...bars.values()].some((b) => a >= b.base && a < b.end)) keepIdx.add(i);
    }
  }
  for (let i = 0; i < lines.length; i++) {
    if (keepIdx.has(i)) {
      kept.push(lines[i]);
      continue;
    }
    const mr = MR.exec(lines[i]);
    if (mr) drop(`${mr[1]} '${mr[3]}'`);
    else drop(EVENT.exec(lines[i])?.[1] ?? '(unrecognised)');
  }
  return { kept, total: lines.length, dropped };
}
