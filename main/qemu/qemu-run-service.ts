// A QEMU + Linux run as an ordinary run of the store (sequence 'qemu-linux'): the topology becomes a QEMU
// command line, a real kernel boots from the bench's initramfs, and when the guest powers off QEMU's trace is
// imported onto the topology's nodes (qemu-import.ts), the guest's console becomes the run's log (one row per
// line, "console| …"), and the driver's own words become the steps (guest-report.ts). Listed, exported,
// replayed and compared like any run. Boot stages are reported as run.progress; cancel kills QEMU (the run
// ends 'interrupted'); a guest that hangs ends 'error' at its timeout with the console kept.

import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '../../common/clock.js';
import type { Layout } from '../../common/layout.js';
import type { TraceSink } from '../../common/trace-sink.js';
import { isDefaultTopologyName } from '../../emulator/topology/default-topology.js';
import { formatTopologyError, loadTopology } from '../../emulator/topology/load.js';
import type { Topology } from '../../emulator/topology/types.js';
import { encodeEvents } from '../../trace/chunk-codec.js';
import type { TraceEvent } from '../../trace/event.js';
import { importQemuTrace, type QemuImportStats } from '../../trace/formats/qemu-import.js';
import { ApiError } from '../api/api-error.js';
import type { Run, Step } from '../api/contract.js';
import { emulatedPlatformOf } from '../runs/emulated-endpoints.js';
import { resolveTopologySource } from '../runs/topology-source.js';
import type { EventHub } from '../services/event-hub.js';
import type { Store } from '../store/store.js';
import { RunTraceWriter } from '../store/trace-writer.js';
import { formatCommandLine, planQemu, type QemuPlan } from './cmdline.js';
import { guestCmdline } from './guest-init.js';
import { guestReport, type GuestReport } from './guest-report.js';
import { findBusybox, findCxlTool, findKernel, findQemu, type GuestKernel, type QemuBinary } from './host-tools.js';
import { buildInitramfs } from './initramfs.js';
import { bootArgv, bootQemu, type BootResult } from './qemu-boot.js';
import { QEMU_TOPOLOGIES, isQemuTopologyName } from './qemu-topologies.js';
import { nodeInterner } from '../store/node-interner.js';

export interface QemuRunInput {
  sessionId: number;
  /** Built-in, qemu-* or saved topology name. */
  topology?: string;
  /** A topology file's JSON (wins over `topology`). */
  topologyJson?: string;
  /** Guest kernel image (default: the newest /boot/vmlinuz-* with CXL modules). */
  kernel?: string;
  /** qemu-system-x86_64 binary (default: from PATH). */
  qemu?: string;
  /** Create a region after probe. */
  region?: 'ram' | 'pmem';
  ways?: number;
  granularity?: number;
  /** Whole-run bound in seconds (default 180). */
  timeoutS?: number;
  /** A directory added to the initramfs at /. */
  initrdExtra?: string;
}

/** What a QEMU run would do, without doing it (qemu.cmdline). */
export interface QemuPrepared {
  topology: Topology;
  topologyName: string;
  topologyJson: string;
  plan: QemuPlan;
  qemu: QemuBinary;
  kernel: GuestKernel;
  busybox: string;
  cxl: string | null;
}

export const QEMU_SEQUENCE = 'qemu-linux';
export const CONSOLE_PREFIX = 'console| ';
/** Stages the guest reports, in order (progress total). */
const STAGES = ['init', 'modules', 'probe', 'probed', 'list', 'region', 'dmesg', 'done'];

const silentSink: TraceSink = { nodeId: () => 0, access: () => {}, mailbox: () => {}, step: () => {} };
const CHUNK_EVENTS = 4096;

/** The topology a QEMU run uses: qemu-* first, then built-in/saved names, or inline JSON. */
export function qemuTopology(store: Store, input: { topology?: string; topologyJson?: string }, call: string): { name: string; json: string; topology: Topology } {
  if (input.topologyJson === undefined && input.topology && isQemuTopologyName(input.topology)) {
    const json = JSON.stringify(QEMU_TOPOLOGIES[input.topology], null, 2);
    const r = loadTopology(json);
    if (!r.ok) throw new Error(`built-in ${input.topology}: ${r.errors.map(formatTopologyError).join('; ')}`);
    return { name: input.topology, json, topology: r.topology };
  }
  const src = resolveTopologySource({ hasBuiltin: isDefaultTopologyName, saved: store.topologies }, { name: input.topology, json: input.topologyJson }, call, 'qemu-single');
  if (!src.topology || src.json === null) throw new ApiError('bad-input', `${call}: topology: the empty bench has nothing to put in QEMU`, 'topology');
  return { name: src.name, json: src.json, topology: src.topology };
}

/** Resolve tools and topology and plan the command line; every problem is a 'bad-input' naming what to fix. */
export function prepareQemuRun(store: Store, input: Omit<QemuRunInput, 'sessionId'>, call = 'qemu.run'): QemuPrepared {
  const qemu = findQemu(input.qemu);
  if (!qemu.ok) throw new ApiError('bad-input', `${call}: qemu: ${qemu.problem} — ${qemu.fix}`, 'qemu');
  const kernel = findKernel(input.kernel);
  if (!kernel.ok) throw new ApiError('bad-input', `${call}: kernel: ${kernel.problem} — ${kernel.fix}`, 'kernel');
  const busybox = findBusybox();
  if (!busybox.ok) throw new ApiError('bad-input', `${call}: busybox: ${busybox.problem} — ${busybox.fix}`, 'busybox');
  const cxl = findCxlTool();
  if (input.region && !cxl.ok) throw new ApiError('bad-input', `${call}: region: ${cxl.problem} — ${cxl.fix}`, 'region');
  if (input.initrdExtra !== undefined) {
    let dir = false;
    try {
      dir = statSync(input.initrdExtra).isDirectory();
    } catch {
      /* reported below */
    }
    if (!dir) throw new ApiError('bad-input', `${call}: initrdExtra: ${input.initrdExtra} is not a directory`, 'initrdExtra');
  }
  const t = qemuTopology(store, input, call);
  const planned = planQemu(t.topology, qemu.value.caps);
  if (!planned.ok) {
    const first = planned.errors[0];
    throw new ApiError('bad-input', `${call}: topology ${t.name} cannot be built by QEMU ${qemu.value.version}: ${planned.errors.map(formatTopologyError).join('; ')}`, `topology.${first.path}`);
  }
  if (input.ways !== undefined && ![1, 2, 3, 4, 6, 8, 12, 16].includes(input.ways)) throw new ApiError('bad-input', `${call}: ways: must be 1, 2, 3, 4, 6, 8, 12 or 16`, 'ways');
  if (input.granularity !== undefined && ![256, 512, 1024, 2048, 4096, 8192, 16384].includes(input.granularity))
    throw new ApiError('bad-input', `${call}: granularity: must be 256..16384 bytes, a power of two`, 'granularity');
  return { topology: t.topology, topologyName: t.name, topologyJson: t.json, plan: planned.plan, qemu: qemu.value, kernel: kernel.value, busybox: busybox.value, cxl: cxl.ok ? cxl.value : null };
}

interface Active {
  abort: AbortController;
  done: Promise<Run>;
}

export class QemuRunService {
  private readonly active = new Map<number, Active>();

  constructor(
    private readonly store: Store,
    private readonly hub: EventHub,
  ) {}

  /** Start a run; it goes on in the background. Tool and topology problems throw before any run exists. */
  start(input: QemuRunInput): Run {
    if (!this.store.sessions.get(input.sessionId)) throw new ApiError('not-found', `session ${input.sessionId} does not exist`, 'sessionId');
    const prep = prepareQemuRun(this.store, input);
    const run = this.store.runs.create({
      sessionId: input.sessionId,
      sequence: QEMU_SEQUENCE,
      topology: prep.topologyName,
      targets: `qemu ${prep.qemu.version} + linux ${prep.kernel.release}`,
      topologyJson: prep.topologyJson,
      status: 'running',
    });
    const abort = new AbortController();
    const done = this.execute(run.id, input, prep, abort.signal).finally(() => this.active.delete(run.id));
    this.active.set(run.id, { abort, done });
    return run;
  }

  /** The finished run (resolves when it ends; at once when it is not running here). */
  wait(runId: number): Promise<Run> {
    return this.active.get(runId)?.done ?? Promise.resolve(this.store.runs.get(runId)!);
  }

  isActive(runId: number): boolean {
    return this.active.has(runId);
  }

  cancel(runId: number): boolean {
    const a = this.active.get(runId);
    if (!a) return false;
    a.abort.abort();
    return true;
  }

  async close(): Promise<void> {
    for (const a of this.active.values()) a.abort.abort();
    await Promise.allSettled([...this.active.values()].map((a) => a.done));
  }

  private log(runId: number, level: 'info' | 'warn' | 'error' | 'debug', message: string): void {
    this.hub.emit({ type: 'log', row: this.store.logs.append(runId, level, message) });
  }

  private async execute(runId: number, input: QemuRunInput, prep: QemuPrepared, signal: AbortSignal): Promise<Run> {
    const work = mkdtempSync(join(tmpdir(), 'cxl-bench-qemu-run-'));
    let boot: BootResult | null = null;
    let pending = ''; // console text after the last newline
    try {
      for (const w of prep.plan.warnings) this.log(runId, 'warn', `qemu: ${formatTopologyError(w)}`);
      this.progress(runId, 0, 'initramfs');
      const initramfs = buildInitramfs({ kernel: prep.kernel, busybox: prep.busybox, cxl: prep.cxl, ...(input.initrdExtra ? { extraDir: input.initrdExtra } : {}) });
      this.log(runId, 'info', `qemu: initramfs ${initramfs.path} (${initramfs.bytes} bytes; modules ${initramfs.loads.join(', ')})`);
      const tracePath = join(work, 'trace.log');
      const append = guestCmdline({
        memdevs: prep.plan.endpoints.length,
        ...(input.region ? { region: input.region, ways: input.ways ?? prep.plan.endpoints.length, granularity: input.granularity ?? 256 } : {}),
      });
      const argv = bootArgv({ machineArgs: prep.plan.args, kernel: prep.kernel.image, initramfs: initramfs.path, append, tracePath });
      this.log(runId, 'info', `qemu: command line\n${formatCommandLine(prep.qemu.path, argv)}`);
      boot = await bootQemu({
        qemu: prep.qemu.path,
        machineArgs: prep.plan.args,
        kernel: prep.kernel.image,
        initramfs: initramfs.path,
        append,
        tracePath,
        timeoutMs: (input.timeoutS ?? 180) * 1000,
        signal,
        onStage: (s) => this.progress(runId, Math.max(0, STAGES.indexOf(s.stage)) + 1, s.stage),
        // The console is the run's log, line by line as the guest prints it: kept whatever happens next.
        onConsole: (chunk) => {
          pending += chunk.replace(/\r/g, '');
          const lines = pending.split('\n');
          pending = lines.pop() ?? '';
          for (const line of lines) if (line !== '') this.store.logs.append(runId, 'info', CONSOLE_PREFIX + line);
        },
      });
      if (pending !== '') this.store.logs.append(runId, 'info', CONSOLE_PREFIX + pending);
      if (boot.stderr.trim()) this.log(runId, 'warn', `qemu stderr: ${boot.stderr.trim()}`);
      this.progress(runId, STAGES.length, 'import');
      let text = '';
      try {
        text = readFileSync(tracePath, 'utf8');
      } catch {
        /* QEMU never started tracing */
      }
      // The run's own trace: a malformed line is skipped and reported, not a reason to lose the rest.
      const imported = importQemuTrace(text, { devices: prep.plan.devices, windows: prep.plan.windows }, { malformed: 'skip' });
      for (const m of imported.malformed.slice(0, 20)) this.log(runId, 'warn', `qemu: trace line ${m.line}: ${m.event}: ${m.reason}`);
      const s = imported.stats;
      this.log(runId, 'info', `qemu: trace ${s.lines} lines: ${s.imported} accesses imported, ${s.carriers} carrier accesses folded into config cycles, ${s.mappings} BAR mappings, ${s.blank} blank; skipped ${Object.entries(s.skipped).map(([k, v]) => `${v} ${k}`).join(', ') || 'none'}`);
      const report = guestReport(boot.console, s.bdfs);
      const { status, summary } = this.verdict(boot, report, input, s);
      this.store_(runId, imported.events, report, boot, prep);
      this.store.runs.finish(runId, status, summary);
      this.hub.emit({ type: 'run.finished', runId, status, summary });
      return this.store.runs.get(runId)!;
    } catch (e) {
      const summary = `error: ${(e as Error).message}`;
      this.log(runId, 'error', summary);
      this.store.runs.finish(runId, 'error', summary);
      this.hub.emit({ type: 'run.finished', runId, status: 'error', summary });
      return this.store.runs.get(runId)!;
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  private progress(runId: number, done: number, phase: string): void {
    this.hub.emit({ type: 'run.progress', runId, done, total: STAGES.length + 1, phase, events: 0 });
  }

  private verdict(boot: BootResult, report: GuestReport, input: QemuRunInput, s: QemuImportStats): { status: Run['status']; summary: string } {
    const fails = report.steps.filter((x) => x.verdict === 'fail');
    const probed = report.memdevs.filter((m) => m.probed).length;
    const region = report.regions.find((r) => r.committed);
    const facts = `${probed}/${report.probe?.expected ?? '?'} memdevs probed, ${report.decoders.length} decoders${input.region ? `, region ${region ? `${region.region} committed (${region.ways}-way)` : 'not committed'}` : ''}; ${s.imported} accesses`;
    if (boot.status === 'cancelled') return { status: 'interrupted', summary: `cancelled (${facts})` };
    if (boot.status !== 'done') return { status: 'error', summary: `${boot.reason} (${facts}; console kept in the run's log)` };
    if (s.imported === 0) return { status: 'error', summary: `QEMU's trace had no access of the topology's devices (${s.lines} lines; see the run's log) (${facts})` };
    if (fails.length) return { status: 'failed', summary: `${fails[0].name}: ${fails[0].reason} (${facts})` };
    return { status: 'passed', summary: facts };
  }

  /** Events, steps (after the accesses, as step events), nodes and layout, in batched transactions. */
  private store_(runId: number, accesses: TraceEvent[], report: GuestReport, boot: BootResult, prep: QemuPrepared): void {
    const events: TraceEvent[] = [...accesses];
    const stepEvents: TraceEvent[] = [
      { kind: 'step', seq: 0, timeNs: 0, sequence: QEMU_SEQUENCE, name: 'qemu: boot', verdict: boot.status === 'done' ? 'pass' : 'fail', reason: boot.status === 'done' ? `guest finished in ${(boot.wallMs / 1000).toFixed(1)} s (probe done at ${((boot.stages.find((x) => x.stage === 'probed')?.atMs ?? NaN) / 1000).toFixed(1)} s)` : boot.reason ?? boot.status },
      ...report.steps.map((st) => ({ kind: 'step' as const, seq: 0, timeNs: 0, sequence: QEMU_SEQUENCE, name: st.name, verdict: st.verdict, reason: st.reason, ...(st.evidence !== undefined ? { evidence: st.evidence } : {}) })),
    ];
    events.push(...stepEvents);
    events.forEach((e, i) => (e.seq = i));
    const { list: nodeList, index: nodeIndex } = nodeInterner();
    const writer = new RunTraceWriter(this.store.db, runId);
    let stepSeq = 0;
    for (let from = 0; from < events.length; from += CHUNK_EVENTS) {
      const part = events.slice(from, from + CHUNK_EVENTS);
      const bytes = encodeEvents(part, nodeIndex);
      const steps: Step[] = [];
      for (const e of part) if (e.kind === 'step') steps.push({ seq: stepSeq++, name: e.name, verdict: e.verdict, reason: e.reason, evidence: e.evidence ?? null, eventSeq: e.seq });
      writer.write({ chunks: [{ firstSeq: from, count: part.length, bytes }], nodes: [...nodeList], steps });
    }
    this.store.runs.setLayout(runId, qemuLayout(prep.topology));
  }
}

/** The layout of a topology as our emulator builds it (the QEMU profile where the topology says so), so the
 * imported trace decodes into register and field names. */
export function qemuLayout(topology: Topology): Layout {
  return emulatedPlatformOf(structuredClone(topology), new VirtualClock(), silentSink).layout;
}
