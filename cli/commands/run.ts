// `cxl-bench run [--sequence ID] [--topology NAME|FILE] [--target NODE=URI ...] [--map FILE] [--session NAME]
// [--kernel 6.1|6.12|mainline|all] [--json] [--junit FILE] [--db FILE]`: one run in a worker, as the app runs it; --target replaces that emulated endpoint by
// the hardware behind the link (issue 7). --topology takes a built-in or saved name, or a topology file whose
// endpoint `backend`s become hardware targets (maps relative to the file); --target overrides them. Exit 0 passed, 1 failed or error (a link that fails ends the run
// 'error' with the reason, keeping every event before it), 2 bad usage.

import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { RunDetail } from '../../main/api/contract.js';
import { createServices } from '../../main/services/services.js';
import { DEFAULT_DB, oneOf, parse, str } from '../args.js';
import { KERNEL_IDS } from '../../host/kernels/types.js';
import { runKernelMatrix } from './kernel-matrix.js';
import { envSequenceModules, write, type CliIo } from '../io.js';
import { EXIT, UsageError } from '../usage.js';
import { writeJunit } from './junit.js';
import { parseTargets, runSequence } from './run-sequence.js';
import { topologyArg } from './topology-arg.js';
import { isQemuTargetRun, qemuArgsFromRun, qemuRunCommand } from './qemu.js';

export async function runCommand(args: string[], io: CliIo): Promise<number> {
  if (isQemuTargetRun(args)) return qemuRunCommand(qemuArgsFromRun(args), io, 'run --target qemu'); // main/qemu
  const p = parse(
    'run',
    args,
    {
      sequence: { type: 'string' },
      topology: { type: 'string' },
      target: { type: 'string', multiple: true },
      map: { type: 'string' },
      session: { type: 'string' },
      db: { type: 'string' },
      json: { type: 'boolean' },
      junit: { type: 'string' },
      kernel: { type: 'string' },
    },
    { min: 0, max: 0, names: '' },
  );
  const kernel = oneOf('run', '--kernel', str(p, 'kernel'), [...KERNEL_IDS, 'all'] as const);
  const map = str(p, 'map');
  const targets = parseTargets('run', p.values.target as unknown as string[] | undefined, map ? resolve(map) : undefined);
  const junitPath = str(p, 'junit');
  if (junitPath !== undefined && !existsSync(dirname(resolve(junitPath)))) throw new UsageError(`run: --junit ${junitPath}: no directory ${dirname(resolve(junitPath))}`);
  const dbPath = str(p, 'db') ?? DEFAULT_DB;
  const services = await createServices({ dbPath, sequenceModules: envSequenceModules() });
  try {
    const name = str(p, 'session') ?? 'cli';
    const session = services.store.sessions.findByName(name) ?? services.store.sessions.create(name);
    const base = {
      sessionId: session.id,
      ...(str(p, 'sequence') ? { sequence: str(p, 'sequence') } : {}),
      ...topologyArg('run', services, str(p, 'topology')),
      ...(targets ? { targets } : {}),
    };
    // --kernel all: the kernel matrix (one run per profile); --kernel ID: that profile's rules.
    if (kernel === 'all') return await runKernelMatrix(services, io, base, p.values.json === true);
    const detail = await runSequence(services, io, 'run', { ...base, ...(kernel ? { kernel } : {}) });
    // --junit FILE: the steps as JUnit test cases for CI (junit.ts); written before the summary, whole or not at all.
    if (junitPath) writeJunit(resolve(junitPath), detail);
    await write(io.stdout, p.values.json ? JSON.stringify(detail) + '\n' : runText(detail));
    return detail.status === 'passed' ? EXIT.ok : EXIT.failed;
  } finally {
    await services.close();
  }
}

export function runText(r: RunDetail): string {
  const c = r.stepCounts;
  const lines = [
    `run ${r.id}: ${r.sequence} on ${r.topology} (${r.targets || 'no targets'}) — ${r.status.toUpperCase()}`,
    `  ${c.pass} pass, ${c.warn} warn, ${c.fail} fail, ${c.info} info; ${r.eventCount} trace events`,
    `  ${r.summary ?? ''}`,
  ];
  // Every step with its verdict, as a table.
  const width = Math.min(48, Math.max(4, ...r.steps.map((x) => x.name.length)));
  if (r.steps.length) lines.push('', `  ${'verdict'.padEnd(7)}  ${'step'.padEnd(width)}  reason`);
  for (const s of r.steps) lines.push(`  ${s.verdict.toUpperCase().padEnd(7)}  ${s.name.padEnd(width)}  ${s.reason}`);
  return lines.join('\n') + '\n';
}
