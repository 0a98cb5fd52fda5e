// A QEMU trace log onto a topology, losslessly (issue 14): every CXL device of the log gets a node or the import
// fails naming the ones it cannot place (the user maps them with nodeMap / --node-map DEV=NODE), and every
// input line is counted as imported, folded into another (the access that carried a config cycle), used (a BAR
// mapping) or skipped with its reason. CHBCR accesses land on their host bridge, memory in a CXL window on the
// platform node.
//
// Placement: when the log came from the topology's own command line (main/qemu/cmdline.ts planQemu: slots,
// bus numbers, CHBCRs) the plan places every device exactly; otherwise (another command line, SeaBIOS logs, the
// user's own) devices are mapped by role and position (host/core/qemu-roles.ts), explicit nodeMap entries first,
// and each n-th pxb-cxl's CHBCR is where QEMU 7.2 puts it (qemu-facts.ts).

import type { Layout } from '../../common/layout.js';
import type { Topology } from '../../emulator/topology/types.js';
import { mapQemuDevices, QEMU_DEVICE_ROLES } from '../../host/core/qemu-roles.js';
import type { AccessEvent } from '../../trace/event.js';
import { qemuDeviceKey, scanQemuDevices } from '../../trace/formats/qemu-devices.js';
import { importQemuTrace, type QemuImportStats, type QemuPlacement } from '../../trace/formats/qemu-import.js';
import { ApiError } from '../api/api-error.js';
import type { TraceImportReport } from '../api/contract.js';
import { planQemu } from '../qemu/cmdline.js';
import { QEMU_7_2 } from '../qemu/qemu-facts.js';

export interface QemuImportOptions {
  /** "type@bdf", BDF or QEMU device type → node; wins over the plan and the role mapping. */
  nodeMap?: Readonly<Record<string, string>>;
  /** Keep non-CXL devices too (named by BDF). */
  all?: boolean;
  /** Topology name for messages. */
  topologyName: string;
}

export interface QemuImported {
  events: AccessEvent[];
  report: TraceImportReport;
  /** Event indexes whose config width is a guess from the offset's alignment (narrowed by the layout later). */
  guessedWidth: number[];
}

function reportOf(stats: QemuImportStats, placement: TraceImportReport['placement'], devices: TraceImportReport['devices']): TraceImportReport {
  return {
    format: 'qemu',
    lines: stats.lines,
    imported: stats.imported,
    folded: stats.carriers,
    used: stats.mappings,
    blank: stats.blank,
    skipped: { ...stats.skipped },
    placement,
    devices,
  };
}

/** Import `text` onto `topology` (with its `layout`); throws ApiError 'bad-input' naming unplaced CXL devices. */
export function importQemuOnto(text: string, topology: Topology | null, layout: Layout, opts: QemuImportOptions): QemuImported {
  const found = scanQemuDevices(text);
  const cxl = found.filter((d) => QEMU_DEVICE_ROLES[d.name] !== undefined);
  const explicit = opts.nodeMap ?? {};
  const hasExplicit = Object.keys(explicit).length > 0;

  // 1. The topology's own command line: the plan places every device (pxb-cxl functions have no config model).
  const plan = topology && !hasExplicit && !opts.all ? planQemu(topology) : null;
  if (plan?.ok) {
    const r = importQemuTrace(text, { devices: plan.plan.devices, windows: plan.plan.windows });
    const missing = cxl.filter((d) => d.name !== 'pxb-cxl' && r.stats.bdfs[d.bdf] === undefined);
    if (missing.length === 0) {
      const devices = cxl.map((d) => ({ device: qemuDeviceKey(d), node: r.stats.bdfs[d.bdf] ?? '' })).filter((d) => d.node !== '');
      return { events: r.events, report: reportOf(r.stats, 'command line', devices), guessedWidth: r.guessedWidth };
    }
  }

  // 2. By role and position, explicit entries first.
  const mapping = mapQemuDevices(found, layout, explicit);
  const unplaced = mapping.unmapped.filter((d) => QEMU_DEVICE_ROLES[d.name] !== undefined);
  if (unplaced.length) {
    const names = unplaced.map(qemuDeviceKey).join(', ');
    throw new ApiError(
      'bad-input',
      `trace.import: nodeMap: topology ${opts.topologyName} has no node for ${unplaced.length} CXL device(s) of the log: ${names} (map each with nodeMap / --node-map DEVICE=NODE, or import onto a topology that has them: topology from-qemu)`,
      'nodeMap',
    );
  }
  const bdfs: Record<string, { type: string; node: string }> = {};
  for (const d of mapping.mapped) bdfs[d.bdf] = { type: d.name, node: d.node };
  if (opts.all) for (const d of mapping.unmapped) bdfs[d.bdf] = { type: d.name, node: d.bdf };
  // Each mapped host bridge's CHBCR where QEMU 7.2 puts the n-th pxb-cxl's (bus order).
  const hbs = mapping.mapped.filter((d) => d.name === 'pxb-cxl');
  const placement: QemuPlacement = {
    devices: hbs.map((d, i) => ({ type: 'pxb-cxl', node: d.node, parent: null, slot: 0, chbcr: QEMU_7_2.chbcrBase + i * QEMU_7_2.chbcrStride })),
    chbcrSize: QEMU_7_2.chbcrStride,
    bdfs,
    ...(plan?.ok ? { windows: plan.plan.windows } : {}),
    // Every line kept: accesses no device claims (RTC, APIC) stay memory by address on node 'qemu'.
    ...(opts.all ? { unplacedMmioNode: 'qemu' } : {}),
  };
  const r = importQemuTrace(text, placement);
  const devices = mapping.mapped.map((d) => ({ device: qemuDeviceKey(d), node: d.node }));
  return { events: r.events, report: reportOf(r.stats, hasExplicit ? 'node map and roles' : 'roles', devices), guessedWidth: r.guessedWidth };
}
