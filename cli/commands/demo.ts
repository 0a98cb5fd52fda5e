// `cxl-bench demo` (issue 7): the bench's whole story in a few seconds, into the database.
//   1. linux-probe (the demo variant, demo-sequences.ts) on the default emulated topology, in a worker;
//   2. simulated rev-a silicon — the same endpoint with the silicon profile's deviations — served over
//      UARTBone on a socat pty pair (or Etherbone on loopback TCP when socat is missing);
//   3. the same probe with that endpoint replaced by the simulator as a hardware target;
//   4. compare the two runs: first divergence, counts, the registers and hunks that differ, decoded.
// --json prints the emulated run's RunDetail with `hardware` (RunDetail + link) and `comparison` added.
// --emulated-only stops after step 1 (as the demo did before hardware targets). Exit 0 when the emulated run
// passed and the hardware run completed (its verdicts may fail: finding that is the point); 1 otherwise.

import type { CompareHunk, CompareSummary, Page, RunDetail } from '../../main/api/contract.js';
import { callApi } from '../../main/api/table.js';
import { builtinLayout } from '../../main/compare/topology-layout.js';
import { DEMO_SEQUENCE_ID, DEMO_SEQUENCES_MODULE } from '../../main/links/demo-sequences.js';
import { SIM_PROFILES, startSim, type RunningSim } from '../../main/links/sim-server.js';
import { createServices, type Services } from '../../main/services/services.js';
import { DEFAULT_DB, oneOf, parse, str } from '../args.js';
import { envSequenceModules, write, type CliIo } from '../io.js';
import { EXIT } from '../usage.js';
import { runSequence } from './run-sequence.js';
import { topologyArg } from './topology-arg.js';
import { loadTopology } from '../../emulator/topology/load.js';
import { isDefaultTopologyName } from '../../emulator/topology/default-topology.js';
import { builtinTopologyJson, endpointPaths } from '../../main/runs/topology-source.js';

const TOP_HUNKS = 5;

export async function demoCommand(args: string[], io: CliIo): Promise<number> {
  const p = parse(
    'demo',
    args,
    {
      db: { type: 'string' },
      json: { type: 'boolean' },
      sequence: { type: 'string' },
      topology: { type: 'string' },
      profile: { type: 'string' },
      link: { type: 'string' },
      'emulated-only': { type: 'boolean' },
    },
    { min: 0, max: 0, names: '' },
  );
  const profile = oneOf('demo', '--profile', str(p, 'profile'), SIM_PROFILES()) ?? 'rev-a';
  const linkKind = oneOf('demo', '--link', str(p, 'link'), ['uartbone', 'etherbone'] as const);
  const dbPath = str(p, 'db') ?? DEFAULT_DB;
  const services = await createServices({ dbPath, sequenceModules: [...envSequenceModules(), DEMO_SEQUENCES_MODULE] });
  try {
    const session = services.store.sessions.findByName('demo') ?? services.store.sessions.create('demo');
    const sequence = str(p, 'sequence') ?? DEMO_SEQUENCE_ID;
    // --topology NAME|FILE: a built-in, saved or file topology (topology-arg.ts), for both runs.
    const base = { sessionId: session.id, sequence, ...topologyArg('demo', services, str(p, 'topology')) };
    const emulated = await runSequence(services, io, 'demo', base);
    const node = firstEndpoint(emulated);

    let hardware: (RunDetail & { link: string; profile: string }) | null = null;
    let comparison: CompareSummary | null = null;
    let hunks: Page<CompareHunk> | null = null;
    if (!p.values['emulated-only'] && node && emulated.status !== 'error') {
      const sim = await startDemoSim(linkKind, profile, emulated, node);
      try {
        const run = await runSequence(services, io, 'demo', { ...base, ...(base.topologyJson === undefined ? { topology: emulated.topology } : {}), targets: { [node]: sim.uri } });
        hardware = { ...run, link: sim.uri, profile };
      } finally {
        await sim.close();
      }
      comparison = await callApi(services, 'compare.run', { runA: emulated.id, runB: hardware.id });
      hunks = await callApi(services, 'compare.hunks', { compareId: comparison.compareId, offset: 0, limit: TOP_HUNKS });
    }

    await write(io.stdout, p.values.json ? JSON.stringify({ ...emulated, hardware, comparison }) + '\n' : demoText(services, dbPath, emulated, hardware, comparison, hunks));
    const ok = emulated.status === 'passed' && (hardware === null || hardware.status === 'passed' || hardware.status === 'failed');
    return ok ? EXIT.ok : EXIT.failed;
  } finally {
    await services.close();
  }
}

/** The first Type 3 endpoint of the run's topology (from the JSON it recorded; a built-in's layout otherwise). */
function firstEndpoint(run: RunDetail): string | undefined {
  if (run.topologyJson) {
    const r = loadTopology(run.topologyJson);
    if (r.ok) return endpointPaths(r.topology)[0];
  }
  return builtinLayout(run.topology).find((n) => n.kind === 'type3')?.node;
}

/**
 * UARTBone on a pty pair when socat is there (or asked for), else Etherbone on loopback. The simulator serves a
 * built-in topology's endpoint; for a saved or file topology it serves the default endpoint (sim-server.ts).
 */
async function startDemoSim(kind: 'uartbone' | 'etherbone' | undefined, profile: string, run: RunDetail, node: string): Promise<RunningSim> {
  const builtin = isDefaultTopologyName(run.topology) && (run.topologyJson ?? null) === builtinTopologyJson(run.topology);
  const device = builtin ? { topology: run.topology, node } : {};
  if (kind !== 'etherbone') {
    try {
      return await startSim({ kind: 'uartbone', profile, ...device });
    } catch (e) {
      if (kind === 'uartbone') throw e;
    }
  }
  return startSim({ kind: 'etherbone', profile, ...device });
}

function runLines(label: string, r: RunDetail): string[] {
  const c = r.stepCounts;
  const lines = [
    `${label} run ${r.id}: ${r.sequence} on ${r.topology} (${r.targets || 'no targets'}) — ${r.status.toUpperCase()}`,
    `  ${c.pass} pass, ${c.warn} warn, ${c.fail} fail, ${c.info} info; ${r.eventCount} trace events`,
    `  ${r.summary ?? ''}`,
  ];
  for (const s of r.steps.filter((x) => x.verdict === 'fail' || x.verdict === 'warn')) lines.push(`  ${s.verdict.toUpperCase()} ${s.name}: ${s.reason}`);
  return lines;
}

function demoText(
  _s: Services,
  dbPath: string,
  emulated: RunDetail,
  hardware: (RunDetail & { link: string; profile: string }) | null,
  cmp: CompareSummary | null,
  hunks: Page<CompareHunk> | null,
): string {
  const lines = runLines('emulated', emulated);
  if (hardware) {
    lines.push('', ...runLines(`hardware (simulated ${hardware.profile} silicon over ${hardware.link})`, hardware));
  }
  if (cmp) {
    const c = cmp.counts;
    lines.push(
      '',
      `compare run ${cmp.runA} with run ${cmp.runB}: ${cmp.equal ? 'EQUAL' : 'DIFFERENT'}`,
      `  ${c.equal} equal, ${c.valueDiffers} value differs, ${c.onlyA} only in emulated, ${c.onlyB} only in hardware, ${c.pollCountDiffers} poll-count; ${cmp.hunkCount} hunks`,
    );
    if (cmp.firstDivergence) lines.push(`  first divergence: ${cmp.firstDivergence.text}`);
    const differing = cmp.registers.filter((x) => x.valueDiffers + x.onlyA + x.onlyB + x.pollCountDiffers > 0).slice(0, 8);
    if (differing.length) lines.push('  registers that differ:');
    for (const x of differing) lines.push(`    ${x.register}: ${x.valueDiffers} value, ${x.onlyA} only A, ${x.onlyB} only B, ${x.pollCountDiffers} poll`);
    if (hunks?.rows.length) lines.push(`  first ${hunks.rows.length} of ${hunks.total} hunks:`);
    for (const h of hunks?.rows ?? []) for (const it of h.items.slice(0, 3)) lines.push(`    [${h.index}] ${it.text}`);
    lines.push(`  (cxl-bench compare ${cmp.runA} ${cmp.runB} --db ${dbPath} for all of it)`);
  }
  lines.push(`stored in ${dbPath} (cxl-bench trace ${emulated.id} --format csv)`);
  return lines.join('\n') + '\n';
}
