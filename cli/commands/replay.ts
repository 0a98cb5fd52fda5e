// `cxl-bench replay RUN [--topology NAME|FILE] [--profile spec|qemu] [--node-map A=B ...] [--target NODE=URI ...] [--map FILE]
// [--hunks N] [--db FILE] [--json]` replays a stored run's accesses (an imported QEMU log, or one of our runs) on an
// emulated topology — by default the one the source stored (an import's own) — (endpoints optionally replaced by
// hardware, as `run --target` does) through
// runs.replay, then compares source and replay (compare.run) and prints the first divergence, the counts, the
// registers that differ and the top hunks with field decode. Exit 0 equal, 1 different (or the replay failed).
//
// `cxl-bench qemu-compare LOG [--profile spec|qemu] [--topology NAME|FILE] [--node-map DEVICE=NODE ...] ...` is the
// one-shot form for a QEMU trace log: trace.import places its CXL devices on the topology's nodes
// (main/compare/qemu-trace-import.ts; a device without a node is an error naming it, exit 2), then the import is
// replayed on that same topology and compared.

import { existsSync, readFileSync } from 'node:fs';
import { ApiError } from '../../main/api/api-error.js';
import type { ApiInput, CompareHunk, CompareSummary, ImportedRun, Run, RunReplayResult } from '../../main/api/contract.js';
import { callApi } from '../../main/api/table.js';
import type { Services } from '../../main/services/services.js';
import { createServices } from '../../main/services/services.js';
import { topologyArg } from './topology-arg.js';
import { DEFAULT_DB, int, oneOf, parse, str, type Options } from '../args.js';
import { write, type CliIo } from '../io.js';
import { ProgressBar } from '../progress-bar.js';
import { parseTargets } from './run-sequence.js';
import { summaryLines } from './compare-summary.js';
import { EXIT, UsageError } from '../usage.js';

const PROFILES = ['spec', 'spec-2.0', 'qemu', 'qemu-7.2'] as const;

const COMMON: Options = {
  topology: { type: 'string' },
  profile: { type: 'string' },
  'node-map': { type: 'string', multiple: true },
  hunks: { type: 'string' },
  db: { type: 'string' },
  json: { type: 'boolean' },
};

/** Repeated --node-map A=B. */
function parseNodeMap(command: string, pairs: readonly string[] | undefined): Record<string, string> | undefined {
  if (!pairs?.length) return undefined;
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const m = /^([^=]+)=([^=]+)$/.exec(pair);
    if (!m) throw new UsageError(`${command}: --node-map must be A=B (source node = our node), got "${pair}"`);
    out[m[1]] = m[2];
  }
  return out;
}

interface ReplayOutcome {
  replay: RunReplayResult;
  finished: Run;
  compare: CompareSummary | null;
  hunks: CompareHunk[];
}

/** runs.replay, wait (progress on a TTY), then compare.run and the first `topHunks` hunks. */
async function replayAndCompare(
  services: Services,
  io: CliIo,
  command: string,
  input: ApiInput<'runs.replay'>,
  topHunks: number,
): Promise<ReplayOutcome> {
  const bar = new ProgressBar(io.stderr);
  let runId = -1;
  const off = services.hub.subscribe((e) => {
    if (e.type === 'run.progress' && e.runId === runId) bar.update(e.done, e.total, `${e.phase} · ${e.events} events`);
  });
  try {
    let replay: RunReplayResult;
    try {
      replay = await callApi(services, 'runs.replay', input);
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'bad-input' || e.code === 'not-found' || e.code === 'conflict'))
        throw new UsageError(`${command}: ${e.message.replace(/^runs\.replay: /, '')}`);
      throw e;
    }
    runId = replay.run.id;
    await services.runs.wait(runId);
    const finished = services.store.runs.get(runId)!;
    if (finished.status === 'error' || finished.status === 'interrupted') return { replay, finished, compare: null, hunks: [] };
    const compare = await callApi(services, 'compare.run', { runA: replay.source.id, runB: runId, nodeMap: replay.nodeMap });
    const hunks = topHunks > 0 && compare.hunkCount > 0 ? (await callApi(services, 'compare.hunks', { compareId: compare.compareId, offset: 0, limit: topHunks })).rows : [];
    return { replay, finished, compare, hunks };
  } finally {
    off();
    bar.clear();
  }
}

function outcomeText(o: ReplayOutcome): string[] {
  const { replay, finished, compare: r } = o;
  const lines = [`replay run ${finished.id} of run ${replay.source.id} on ${finished.topology}: ${finished.status} — ${finished.summary ?? ''}`];
  if (!r) return lines;
  const c = r.counts;
  lines.push(
    `compare run ${r.runA} (${r.events.a} events) with replay run ${r.runB} (${r.events.b} events): ${r.equal ? 'EQUAL' : 'DIFFERENT'}`,
    `  ${c.equal} equal, ${c.valueDiffers} value differs, ${c.onlyA} only in source, ${c.onlyB} only in replay, ${c.pollCountDiffers} poll-count; ${r.hunkCount} hunks`,
  );
  lines.push(...summaryLines(r, 'source', 'replay'));
  if (r.firstDivergence) lines.push(`  first divergence: ${r.firstDivergence.text}`);
  const differing = r.registers.filter((x) => x.valueDiffers + x.onlyA + x.onlyB + x.pollCountDiffers > 0).slice(0, 12);
  for (const x of differing) lines.push(`  ${x.register}: ${x.valueDiffers} value, ${x.onlyA} only source, ${x.onlyB} only replay, ${x.pollCountDiffers} poll`);
  if (o.hunks.length) lines.push(`  first ${o.hunks.length} of ${r.hunkCount} hunks:`);
  for (const h of o.hunks) {
    lines.push(`  hunk ${h.index}:`);
    for (const it of h.items) {
      lines.push(`    ${it.text}`);
      if (it.kind === 'value') {
        if (it.a?.row.fields) lines.push(`      source #${it.a.seq}: ${it.a.row.fields}`);
        if (it.b?.row.fields) lines.push(`      replay #${it.b.seq}: ${it.b.row.fields}`);
      }
    }
  }
  return lines;
}

const exitOf = (o: ReplayOutcome): number => (o.compare?.equal ? EXIT.ok : EXIT.failed);

const jsonOf = (o: ReplayOutcome, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ ...extra, source: o.replay.source, replay: o.finished, nodeMap: o.replay.nodeMap, compare: o.compare, hunks: o.hunks }) + '\n';

export async function replayCommand(args: string[], io: CliIo): Promise<number> {
  const p = parse('replay', args, { ...COMMON, target: { type: 'string', multiple: true }, map: { type: 'string' } }, { min: 1, max: 1, names: 'RUN' });
  const sourceRunId = Number(p.positionals[0]);
  if (!Number.isInteger(sourceRunId) || sourceRunId < 1) throw new UsageError(`replay: RUN must be a positive integer, got "${p.positionals[0]}"`);
  const profile = oneOf('replay', '--profile', str(p, 'profile'), PROFILES);
  const nodeMap = parseNodeMap('replay', p.values['node-map'] as unknown as string[] | undefined);
  const topHunks = int('replay', p, 'hunks', 0, 1000) ?? 5;
  const targets = parseTargets('replay', p.values.target as unknown as string[] | undefined, str(p, 'map'));
  const dbPath = str(p, 'db') ?? DEFAULT_DB;
  if (!existsSync(dbPath)) throw new UsageError(`replay: no database at ${dbPath}`);
  const services = await createServices({ dbPath });
  try {
    const source = services.store.runs.get(sourceRunId);
    if (!source) throw new UsageError(`replay: run ${sourceRunId} does not exist`);
    const topo = topologyArg('replay', services, str(p, 'topology'));
    const o = await replayAndCompare(
      services,
      io,
      'replay',
      { sessionId: source.sessionId, sourceRunId, ...(topo.topology !== undefined ? { topology: topo.topology } : {}), ...(topo.topologyJson !== undefined ? { topologyJson: topo.topologyJson } : {}), ...(profile ? { profile } : {}), ...(nodeMap ? { nodeMap } : {}), ...(targets ? { targets } : {}) },
      p.values.json ? 1000 : topHunks,
    );
    await write(io.stdout, p.values.json ? jsonOf(o) : outcomeText(o).join('\n') + '\n');
    return exitOf(o);
  } finally {
    await services.close();
  }
}

const importText = (r: ImportedRun): string[] => [
  `QEMU devices: ${r.report.devices.map((d) => `${d.device} -> ${d.node}`).join(', ') || 'none'} (placed by ${r.report.placement})`,
  `imported as run ${r.id}: ${r.summary ?? ''}`,
];

export async function qemuCompareCommand(args: string[], io: CliIo): Promise<number> {
  const p = parse('qemu-compare', args, { ...COMMON, session: { type: 'string' } }, { min: 1, max: 1, names: 'LOG' });
  const file = p.positionals[0];
  if (!existsSync(file)) throw new UsageError(`qemu-compare: no file ${file}`);
  const profile = oneOf('qemu-compare', '--profile', str(p, 'profile'), PROFILES) ?? 'qemu';
  const nodeMap = parseNodeMap('qemu-compare', p.values['node-map'] as unknown as string[] | undefined);
  const topHunks = int('qemu-compare', p, 'hunks', 0, 1000) ?? 5;
  const text = readFileSync(file, 'utf8');
  const services = await createServices({ dbPath: str(p, 'db') ?? DEFAULT_DB });
  try {
    const topo = topologyArg('qemu-compare', services, str(p, 'topology'));
    const name = str(p, 'session') ?? 'qemu-compare';
    const session = services.store.sessions.findByName(name) ?? services.store.sessions.create(name);
    let imported: ImportedRun;
    try {
      imported = await callApi(services, 'trace.import', {
        sessionId: session.id,
        format: 'qemu',
        text,
        ...(topo.topology !== undefined ? { topology: topo.topology } : {}),
        ...(topo.topologyJson !== undefined ? { topologyJson: topo.topologyJson } : {}),
        ...(nodeMap ? { nodeMap } : {}),
      });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'bad-input') throw new UsageError(`qemu-compare: ${file}: ${e.message.replace(/^trace\.import: (text: )?/, '')}`);
      throw e;
    }
    if (imported.eventCount === 0) throw new UsageError(`qemu-compare: ${file} has no accesses of a CXL device (pxb-cxl, cxl-rp, cxl-upstream, cxl-downstream, cxl-type3)`);
    // The replay runs on the topology the import stored (the one the log was placed on).
    const o = await replayAndCompare(services, io, 'qemu-compare', { sessionId: session.id, sourceRunId: imported.id, profile }, p.values.json ? 1000 : topHunks);
    await write(io.stdout, p.values.json ? jsonOf(o, { devices: imported.report.devices, import: imported.report }) : [...importText(imported), ...outcomeText(o)].join('\n') + '\n');
    return exitOf(o);
  } finally {
    await services.close();
  }
}
