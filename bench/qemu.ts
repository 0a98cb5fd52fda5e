// QEMU + Linux target (DESIGN.md 7: boot to probe done ≤ 60 s in TCG on 2 cores). One real boot of qemu-single
// (with QEMU's tracing on, as a run has it) serves both figures:
//   qemu.boot_to_probe_seconds — host wall time from starting QEMU to the guest's "probed" marker (every
//     memdev's endpoint port present), firmware and kernel boot included;
//   qemu.import_rate — QEMU trace events (log lines) per second through importQemuTrace (parse, carrier
//     pairing, BDF placement, node mapping) over that boot's whole, unreduced trace.
// Run: `npm run bench -- qemu`.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTopology } from '../emulator/topology/load.js';
import { planQemu } from '../main/qemu/cmdline.js';
import { guestCmdline } from '../main/qemu/guest-init.js';
import { findHostTools } from '../main/qemu/host-tools.js';
import { buildInitramfs } from '../main/qemu/initramfs.js';
import { bootQemu } from '../main/qemu/qemu-boot.js';
import { QEMU_TOPOLOGIES } from '../main/qemu/qemu-topologies.js';
import { importQemuTrace } from '../trace/formats/qemu-import.js';

export interface Benchmark {
  name: string;
  unit: string;
  run(): Promise<number> | number;
}

interface Boot {
  probeS: number;
  trace: string;
  placement: Parameters<typeof importQemuTrace>[1];
}

let once: Promise<Boot> | null = null;
function boot(): Promise<Boot> {
  once ??= (async () => {
    const tools = findHostTools();
    if (!tools.qemu.ok || !tools.kernel.ok || !tools.busybox.ok) throw new Error('QEMU, a kernel with CXL modules and busybox-static are needed (cxl-bench qemu doctor)');
    const t = loadTopology(structuredClone(QEMU_TOPOLOGIES['qemu-single']));
    if (!t.ok) throw new Error('qemu-single invalid');
    const planned = planQemu(t.topology, tools.qemu.value.caps);
    if (!planned.ok) throw new Error('qemu-single refused');
    const initramfs = buildInitramfs({ kernel: tools.kernel.value, busybox: tools.busybox.value, cxl: tools.cxl.ok ? tools.cxl.value : null });
    const dir = mkdtempSync(join(tmpdir(), 'cxlb-bench-qemu-'));
    try {
      const tracePath = join(dir, 'trace.log');
      const r = await bootQemu({
        qemu: tools.qemu.value.path,
        machineArgs: planned.plan.args,
        kernel: tools.kernel.value.image,
        initramfs: initramfs.path,
        append: guestCmdline({ memdevs: planned.plan.endpoints.length }),
        tracePath,
        timeoutMs: 300_000,
      });
      const probed = r.stages.find((s) => s.stage === 'probed');
      if (r.status !== 'done' || !probed) throw new Error(`boot ${r.status}: ${r.reason ?? 'no probed marker'}`);
      return { probeS: probed.atMs / 1000, trace: readFileSync(tracePath, 'utf8'), placement: { devices: planned.plan.devices, windows: planned.plan.windows } };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  })();
  return once;
}

export const benchmarks: Benchmark[] = [
  { name: 'qemu.boot_to_probe_seconds', unit: 's', run: async () => (await boot()).probeS },
  {
    name: 'qemu.import_rate',
    unit: 'events/s',
    run: async () => {
      const b = await boot();
      importQemuTrace(b.trace, b.placement, { malformed: 'skip' }); // warm-up
      const t0 = performance.now();
      const r = importQemuTrace(b.trace, b.placement, { malformed: 'skip' });
      const s = (performance.now() - t0) / 1000;
      return r.stats.lines / s;
    },
  },
];
