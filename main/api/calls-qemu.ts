// qemu.*: the QEMU + Linux target (main/qemu). doctor says what this machine has; cmdline shows what a run
// would start; run starts one (an ordinary run: listed, exported, replayed, compared); console reads a run's
// guest console back from its log. Spread into the table in table.ts.

import { z } from 'zod';
import { formatTopologyError } from '../../emulator/topology/load.js';
import { formatCommandLine } from '../qemu/cmdline.js';
import { guestCmdline } from '../qemu/guest-init.js';
import { findHostTools } from '../qemu/host-tools.js';
import { bootArgv } from '../qemu/qemu-boot.js';
import { CONSOLE_PREFIX, prepareQemuRun } from '../qemu/qemu-run-service.js';
import { QEMU_TOPOLOGIES, QEMU_TOPOLOGY_NAMES } from '../qemu/qemu-topologies.js';
import { describeTopology } from '../live/topology-catalog.js';
import { loadTopology } from '../../emulator/topology/load.js';
import { ApiError } from './api-error.js';
import type { CallTable } from './call-def.js';
import type { QemuDoctorReport, QemuFinding, QemuOptionsInput, QemuRunApiInput } from './contract-qemu.js';
import { id, none } from './fields.js';

const path = z.string({ error: 'must be a file path' }).min(1, { error: 'must be a file path' }).max(4096, { error: 'must be a file path' });
const options = {
  topology: z.string().min(1).max(200).optional(),
  topologyJson: z.string().max(4_000_000).optional(),
  kernel: path.optional(),
  qemu: path.optional(),
  region: z.enum(['ram', 'pmem'], { error: 'must be "ram" or "pmem"' }).optional(),
  ways: z.int({ error: 'must be an integer' }).optional(),
  granularity: z.int({ error: 'must be an integer' }).optional(),
};
const optionsInput: z.ZodType<QemuOptionsInput> = z.strictObject(options);
const runInput: z.ZodType<QemuRunApiInput> = z.strictObject({
  ...options,
  sessionId: id,
  timeoutS: z.int({ error: 'must be an integer 5-3600' }).min(5, { error: 'must be an integer 5-3600' }).max(3600, { error: 'must be an integer 5-3600' }).optional(),
});

export function qemuDoctor(opts: { kernel?: string; qemu?: string } = {}): QemuDoctorReport {
  const t = findHostTools(opts);
  const f = (what: QemuFinding['what'], x: { ok: true; detail: string } | { ok: false; problem: string; fix: string }, required: boolean): QemuFinding =>
    x.ok ? { what, ok: true, detail: x.detail, required } : { what, ok: false, detail: x.problem, fix: x.fix, required };
  const findings = [f('qemu', t.qemu, true), f('kernel', t.kernel, true), f('busybox', t.busybox, true), f('cxl', t.cxl, false)];
  return { ok: findings.every((x) => x.ok || !x.required), findings };
}

export const QEMU_CALLS: CallTable<'qemu.doctor' | 'qemu.cmdline' | 'qemu.run' | 'qemu.topologies' | 'qemu.console'> = {
  'qemu.doctor': {
    input: z.strictObject({ kernel: path.optional(), qemu: path.optional() }),
    handler: (_s, i) => qemuDoctor(i),
  },
  'qemu.cmdline': {
    input: optionsInput,
    handler: (s, i) => {
      const p = prepareQemuRun(s.store, i, 'qemu.cmdline');
      const append = guestCmdline({ memdevs: p.plan.endpoints.length, ...(i.region ? { region: i.region, ways: i.ways ?? p.plan.endpoints.length, granularity: i.granularity ?? 256 } : {}) });
      const argv = bootArgv({ machineArgs: p.plan.args, kernel: p.kernel.image, initramfs: '<initramfs built at run time>', append, tracePath: '<run trace file>' });
      return {
        topology: p.topologyName,
        commandLine: formatCommandLine(p.qemu.path, argv),
        argv,
        warnings: p.plan.warnings.map(formatTopologyError),
        devices: p.plan.devices.map((d) => ({ node: d.node, type: d.type })),
        qemuVersion: p.qemu.version,
        kernel: p.kernel.image,
      };
    },
  },
  'qemu.run': {
    input: runInput,
    handler: (s, i) => {
      if (s.store.path === ':memory:' || s.store.path === '') throw new ApiError('conflict', 'runs need a database file, not an in-memory store');
      const run = s.qemu.start(i);
      s.log('info', `run ${run.id}: QEMU + Linux on ${run.topology} (${run.targets})`, run.id);
      return run;
    },
  },
  'qemu.topologies': {
    input: none,
    handler: () =>
      QEMU_TOPOLOGY_NAMES.map((name) => {
        const json = JSON.stringify(QEMU_TOPOLOGIES[name], null, 2);
        const t = loadTopology(json);
        return { name, json, description: t.ok ? describeTopology(t.topology) : '' };
      }),
  },
  'qemu.console': {
    input: z.strictObject({ runId: id }),
    handler: (s, i) => {
      if (!s.store.runs.get(i.runId)) throw new ApiError('not-found', `run ${i.runId} does not exist`, 'runId');
      const lines: string[] = [];
      for (let offset = 0; ; offset += 5000) {
        const page = s.store.logs.page(i.runId, offset, 5000);
        for (const r of page.rows) if (r.message.startsWith(CONSOLE_PREFIX)) lines.push(r.message.slice(CONSOLE_PREFIX.length));
        if (offset + 5000 >= page.total) break;
      }
      return { lines };
    },
  },
};
