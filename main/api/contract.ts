// The API's types: shared by the services (main/), both bindings (Electron IPC, WebSocket) and the renderer.
// Types only — the renderer may import this file, never code from main/ (DESIGN.md section 6).
// The table itself (schemas + handlers) lives in main/api/table.ts and must list exactly these calls.

import type { Verdict } from '../../common/trace-sink.js';
import type { KernelId } from '../../host/kernels/types.js';
import type { KernelMatrix } from '../../host/kernels/matrix.js';
import type { LiveApiCalls, TopologyNodeInfo } from './contract-live.js';
import type { LabCalls } from './contract-lab.js';
import type { QemuApiCalls } from './contract-qemu.js';
import type { RegionsApiCalls } from './contract-regions.js';
import type { ImportProgress, UiApiCalls } from './contract-ui.js';

// The live bench (topologies, register explorer, mailbox console, injection): types in contract-live.ts.
export type * from './contract-live.js';
// The lab store (PostgreSQL, issue 17): types in contract-lab.ts.
export type * from './contract-lab.js';
export type * from './contract-regions.js';
export type * from './contract-ui.js';

export interface AppInfo {
  name: string;
  version: string;
  dbPath: string;
  shell: 'electron' | 'browser';
  node: string;
  sequences: SequenceInfo[];
  topologies: string[];
}

export interface SequenceInfo {
  id: string;
  title: string;
  description: string;
}

export interface Session {
  id: number;
  name: string;
  createdAt: string; // ISO 8601
  runCount: number;
}

/** sessions.export: a self-contained bench database holding one session. */
export interface SessionExportResult {
  path: string;
  bytes: number;
  runs: number;
  events: number;
  /** Saved topologies the session's runs name, carried in the file (added on import; see session-transfer.ts). */
  topologies: number;
}

export type RunStatus = 'queued' | 'running' | 'passed' | 'failed' | 'error' | 'interrupted';

export interface Run {
  id: number;
  sessionId: number;
  sequence: string;
  topology: string;
  targets: string; // e.g. "hb0.rp0.ep0=emulated"
  status: RunStatus;
  startedAt: string;
  endedAt: string | null;
  eventCount: number;
  stepCounts: Record<Verdict, number>;
  summary: string | null;
}

export interface Step {
  seq: number;
  name: string;
  verdict: Verdict;
  reason: string;
  evidence: string | null;
  eventSeq: number; // trace position at which the step was recorded
}

export interface RunDetail extends Run {
  steps: Step[];
  /** The exact topology JSON the run was built from (null for the empty bench and older runs). */
  topologyJson?: string | null;
}

export interface TraceRow {
  seq: number;
  timeNs: number;
  node: string;
  kind: 'access' | 'mailbox' | 'step';
  space: string; // cfg | mmio | mem | '' for non-access
  region: string;
  offset: number;
  width: number;
  op: 'R' | 'W' | '';
  value: string; // hex, "0x" + width*2 digits; or mailbox/step text
  status: string;
  /** Decoded: "block · register" and "field=value, ..." when the layout knows the offset. */
  register: string;
  fields: string;
}

export interface TraceFilter {
  node?: string;
  space?: string;
  op?: 'R' | 'W';
  status?: string;
  text?: string;
}

export interface Page<T> {
  total: number;
  offset: number;
  rows: T[];
}

export interface LogRow {
  id: number;
  runId: number | null;
  time: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
}

/** Compare two stored runs (DESIGN.md 5). `masks`: fields whose difference does not count, e.g.
 * "cxl-dev-status.*.Timestamp" or "mailbox.0x4200"; `nodeMap`: run A's node names -> run B's. */
export interface CompareInput {
  runA: number;
  runB: number;
  masks?: string[];
  nodeMap?: Record<string, string>;
  /** Rebase absolute addresses (region 'hpa') onto BAR-relative offsets, from the BAR sizing/programming each trace shows (default false). */
  rebase?: boolean;
  /** 'node' (default): align each node's events in its own stream (runs that probed devices in different
   *  interleavings still align); 'global': one alignment in recorded order. */
  align?: 'node' | 'global';
  /** Compare only this node of B (with `nodeMap` naming A's node for it). */
  node?: string;
}

/** Per device or per structure: how its compared entries came out; `moved` when a structure sits at another offset. */
export interface CompareDeviceSummary extends CompareCounts {
  node: string;
  /** Structures of the device at different offsets on the two sides. */
  moved: number;
}

export interface CompareStructureSummary extends CompareCounts {
  node: string;
  /** Register block name ('PCIe DVSEC for CXL Devices'), 'memory', 'mailbox records', 'steps', or '<region> (undeclared)'. */
  structure: string;
  moved?: { region: string; a: number; b: number };
}

/** A structure placed at different offsets in run A and run B (aligned on its registers, reported once). */
export interface CompareMove {
  node: string;
  structure: string;
  region: string;
  a: number;
  b: number;
  /** "moved: hb0.rp0.ep0 · PCIe DVSEC for CXL Devices cfg 0x144 → 0x148" */
  text: string;
}

export interface CompareCounts {
  equal: number;
  valueDiffers: number;
  onlyA: number;
  onlyB: number;
  pollCountDiffers: number;
}

/** One side of a compared entry: the event (as a trace row, decoded) and how many events it stands for. */
export interface CompareSide {
  seq: number;
  /** > 1 for a folded poll loop (that many identical reads). */
  count: number;
  row: TraceRow;
}

export interface CompareFieldDiff {
  name: string;
  /** Field values as hex ("0x..."). */
  a: string;
  b: string;
  /** A masked field's difference does not count. */
  masked: boolean;
  aText?: string;
  bText?: string;
}

export interface CompareItem {
  kind: 'value' | 'only-a' | 'only-b' | 'poll-count';
  a: CompareSide | null;
  b: CompareSide | null;
  fields: CompareFieldDiff[];
  text: string;
}

export interface CompareHunk {
  index: number;
  items: CompareItem[];
}

export interface CompareSummary {
  /** Handle for compare.hunks (a saved comparison). */
  compareId: number;
  runA: number;
  runB: number;
  equal: boolean;
  counts: CompareCounts;
  events: { a: number; b: number; entriesA: number; entriesB: number };
  firstDivergence: (CompareItem & { hunk: number }) | null;
  /** Registers with differences first (most first); at most 500. */
  registers: (CompareCounts & { register: string })[];
  /** Alignment mode, streams aligned, entries matched on each side and the matched fraction 2·matched/(entriesA+entriesB). */
  alignment: { mode: 'node' | 'global'; streams: number; matched: number; ratio: number };
  /** Per device (B's node names), in the order first met. */
  devices: CompareDeviceSummary[];
  /** Per structure of each device; at most 1000. */
  structures: CompareStructureSummary[];
  moves: CompareMove[];
  hunkCount: number;
}

/** Pushed to subscribers (IPC event / WebSocket message) while runs execute. */
export type ServerEvent =
  | { type: 'run.progress'; runId: number; done: number; total: number; phase: string; events: number }
  | { type: 'run.finished'; runId: number; status: RunStatus; summary: string }
  | { type: 'log'; row: LogRow }
  | { type: 'lab.progress'; sessionId: number; runsDone: number; runsTotal: number; events: number; eventsTotal: number; done: boolean; error?: string }
  | { type: 'transfer.progress'; progress: ImportProgress };

/** A saved comparison as compare.list shows it (the full summary: compare.get). */
export interface ComparisonInfo {
  id: number;
  sessionId: number;
  runA: number;
  runB: number;
  masks: string[];
  nodeMap: Record<string, string>;
  createdAt: string; // ISO 8601
  /** "equal" or "N value, N only in A, ..." */
  summary: string;
}

// ---- Trace import / export (issue 6) ----

export type TraceExportFormat = 'csv' | 'jsonl' | 'vcd';
export type TraceImportFormat = 'qemu' | 'csv' | 'jsonl';

/** trace.export writes a file under the export directory (CXL_BENCH_EXPORT_DIR, else "exports/" beside the database). */
export interface TraceExportResult {
  path: string;
  bytes: number;
  events: number;
}

export interface TraceImportInput {
  sessionId: number;
  format: TraceImportFormat;
  text: string;
  /** Layout (common/layout.ts) to decode the imported trace; default inferred (built-in topology by node names, QEMU's pxb-cxl/cxl-rp/cxl-type3). */
  topology?: string;
  /** For 'qemu': QEMU device name or BDF -> topology node (default: cxl-type3 -> hb0.rp0.ep0, cxl-rp -> hb0.rp0). */
  devices?: Record<string, string>;
  /**
   * For 'qemu' (default true): keep only the CXL devices (pxb-cxl, cxl-rp, cxl-upstream/-downstream, cxl-type3,
   * and any device named in `devices`) and memory accesses inside their BARs; false keeps every line (the
   * chipset 00:00.0, unclaimed accesses on node 'qemu'). Ignored for csv/jsonl.
   */
  cxlOnly?: boolean;
  /** A topology file's JSON text to map the trace onto (instead of `topology`); stored with the run. */
  topologyJson?: string;
  /**
   * The trace's devices or nodes → topology nodes: for 'qemu' "type@bb:dd.f", a BDF or a QEMU device type; for
   * csv/jsonl a node name of the file. A device or node the topology cannot place fails the import, naming it.
   */
  nodeMap?: Record<string, string>;
}

/** How every input line of an import was accounted for (issue 14: nothing dropped without being counted). */
export interface TraceImportReport {
  format: TraceImportFormat;
  /** Input lines (header and blank lines included); = imported + folded + used + blank + header + Σ skipped. */
  lines: number;
  /** Events imported. */
  imported: number;
  /** QEMU: port-I/O / ECAM accesses folded into the config cycle they carried (giving its width). */
  folded: number;
  /** QEMU: BAR mapping lines used to place MMIO. CSV: the header line. */
  used: number;
  blank: number;
  /** Reason → lines. */
  skipped: Record<string, number>;
  /** How devices were placed: 'command line' (the topology's own QEMU plan), 'roles', 'node map and roles', 'names'. */
  placement: string;
  /** Each device or node of the input and the topology node it became. */
  devices: { device: string; node: string }[];
}

/** trace.import's answer: the new run and the accounting of its input. */
export interface ImportedRun extends Run {
  report: TraceImportReport;
}

// ---- Hardware links (issue 7) ----

export interface SerialPortInfo {
  path: string;
  manufacturer: string | null;
  serialNumber: string | null;
  vendorId: string | null;
  productId: string | null;
}

export interface LatencyStats {
  samples: number;
  minUs: number;
  meanUs: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
}

export interface LinkTestResult {
  uri: string;
  ok: boolean;
  /** Vendor/device ID register as read over the link ("0x........"), when it answered. */
  id: string | null;
  latency: LatencyStats | null;
  /** Register reads per second and payload bytes per second over the test. */
  readsPerSecond: number | null;
  bytesPerSecond: number | null;
  /**
   * The device map's memory window (the device's memory by DPA, what memory by HPA on a hardware node goes
   * through) and its first word as read: "512 MiB at 0x60000000, DPA 0 reads 0x00000000"; null when the map has
   * none (memory accesses to that node are then unroutable).
   */
  memory: string | null;
  error: string | null;
  /** Each read's round trip (µs), in order: the Links view draws their histogram. */
  samplesUs?: number[];
}

export type LinkState = 'connected' | 'idle' | 'failed';

/** A link opened in this app session (tests and runs), newest use first. */
export interface LinkInfo {
  uri: string;
  transport: string; // uartbone | etherbone | sysfs | ...
  state: LinkState;
  /** What used it last: "test" or "run 12". */
  usedBy: string;
  lastUsed: string; // ISO 8601
  lastError: string | null;
  latency: LatencyStats | null;
}

/** Hardware for one topology node in runs.start: a link URI, or { link, map } with a device map file (csr.json/csv). */
export type HardwareTargetSpec = string | { link: string; map?: string };

/** runs.replay input: replay source run `sourceRunId`'s accesses on an emulated topology (host/sequences/replay.ts). */
export interface RunReplayInput {
  sessionId: number;
  sourceRunId: number;
  /** Built-in or saved topology to replay on (default: the topology the source stored — an import's own —, else its built-in name, else the default). */
  topology?: string;
  /** A topology file's JSON text to replay on (instead of `topology`). */
  topologyJson?: string;
  /** Every endpoint's device profile for this replay (default: the topology's, 'spec'). */
  profile?: 'spec' | 'spec-2.0' | 'qemu' | 'qemu-7.2';
  /** Source node -> replay node, for nodes whose names differ (BDF-named nodes are mapped by enumeration). */
  nodeMap?: Record<string, string>;
  /** Endpoints replaced by hardware for this replay, as in runs.start (replay against silicon). */
  targets?: Record<string, HardwareTargetSpec>;
}

/** runs.replay output: the new run (status 'running'), its source, and the node map to give compare.run. */
export interface RunReplayResult {
  run: Run;
  source: Run;
  /** Source node -> replay node as used; pass as compare.run { runA: source.id, runB: run.id, nodeMap }. */
  nodeMap: Record<string, string>;
}

// ---- Topology files as run inputs (issue 7) ----

/** topologies.list: the built-in topologies and the ones saved in this database. */
export interface TopologyEntry {
  name: string;
  kind: 'builtin' | 'saved';
  /** One line, e.g. "1 host bridge, 1 root port, 1 Type 3 (...)". */
  description: string;
  /** Endpoints whose entry has a hardware `backend`. */
  hardware: number;
  createdAt: string | null; // ISO 8601; null for built-ins
  updatedAt: string | null;
}

/** An endpoint's `backend` in a topology file: link URI and device map (file path, or an inline map; absent for sysfs links). */
export interface TopologyBackend {
  link: string;
  map?: string | Record<string, unknown>;
}

/** topologies.get: the JSON text, its tree and nodes, and each endpoint's backend by node path. */
export interface TopologyDetail extends TopologyEntry {
  json: string;
  tree: string;
  nodes: TopologyNodeInfo[];
  backends: Record<string, TopologyBackend>;
}

/** runs.start input. `topology`: a built-in or saved topology name; `topologyJson`: a topology file's text (then
 * `topology` is only the run's label, default the file's "name"); `topologyDir`: where relative device-map paths
 * of the file's backends resolve (default: the server's working directory). Explicit `targets` override the
 * topology's backends node by node. */
export interface RunStartInput {
  sessionId: number;
  sequence?: string;
  topology?: string;
  topologyJson?: string;
  topologyDir?: string;
  targets?: Record<string, HardwareTargetSpec>;
  /** Kernel profile for kernel-dependent sequences (linux-probe, region): '6.1', '6.12' (default), 'mainline'. */
  kernel?: KernelId;
}

export interface KernelProfileInfo {
  id: KernelId;
  title: string;
  tree: string;
  checkedAgainst: string;
  rules: Array<{ area: 'probe' | 'region'; name: string; value: string; source: string }>;
}

export interface KernelMatrixInput {
  sessionId: number;
  sequence?: string;
  topology?: string;
  topologyJson?: string;
  targets?: Record<string, HardwareTargetSpec>;
  kernels?: KernelId[];
}

/** Every call: name -> [input, output]. */
export interface ApiCalls extends LiveApiCalls, LabCalls, QemuApiCalls, RegionsApiCalls, UiApiCalls {
  'app.info': [Record<string, never>, AppInfo];
  'sessions.create': [{ name: string }, Session];
  'sessions.list': [Record<string, never>, Session[]];
  'sessions.rename': [{ id: number; name: string }, Session];
  'sessions.delete': [{ id: number }, { deleted: true }];
  /** Write the session (runs, traces, steps, logs, comparisons, notes) to a new bench file in the export directory. */
  'sessions.export': [{ id: number }, SessionExportResult];
  /** Copy every session of a bench file (sessions.export output, or another bench's database) into this one. */
  'sessions.import': [{ path: string }, Session[]];
  /** targets: topology node -> hardware link replacing that emulated endpoint for this run. */
  'runs.start': [RunStartInput, Run];
  /** Kernel profiles (host/kernels) with every rule and the source it was read from. */
  'kernels.list': [Record<string, never>, KernelProfileInfo[]];
  /** Run a sequence (default linux-probe) once per kernel profile and tabulate step × version (waits for the runs). */
  'kernels.matrix': [KernelMatrixInput, { runs: Array<{ kernel: KernelId; runId: number; run: Run }>; matrix: KernelMatrix }];
  /** The kernel matrix of runs already stored (one per kernel). */
  'runs.kernelMatrix': [{ runs: Array<{ kernel: KernelId; runId: number }> }, KernelMatrix];
  /** Save a topology file's JSON under a name (replacing one of that name); invalid JSON is 'bad-input' on "json.<path>", nothing saved. */
  'topologies.save': [{ name: string; json: string }, TopologyEntry];
  /** Built-ins first, then saved ones by name. */
  'topologies.list': [Record<string, never>, TopologyEntry[]];
  'topologies.get': [{ name: string }, TopologyDetail];
  /** Delete a saved topology (runs keep the JSON they used); built-ins cannot be deleted. */
  'topologies.delete': [{ name: string }, { deleted: true }];
  /** Start a replay run of a stored run (e.g. an imported QEMU log); compare it with its source when it finishes. */
  'runs.replay': [RunReplayInput, RunReplayResult];
  'runs.list': [{ sessionId?: number }, Run[]];
  'runs.get': [{ id: number }, RunDetail];
  /** Ask a running run to stop at its next step; it ends 'interrupted'. A finished run is returned unchanged. */
  'runs.cancel': [{ id: number }, Run];
  'trace.page': [{ runId: number; offset: number; limit: number; filter?: TraceFilter }, Page<TraceRow>];
  'compare.run': [CompareInput, CompareSummary];
  'compare.hunks': [{ compareId: number; offset: number; limit: number }, Page<CompareHunk>];
  'logs.page': [{ runId?: number; offset: number; limit: number }, Page<LogRow>];
  /** A saved comparison's summary again (recomputed from its saved inputs after a restart). */
  'compare.get': [{ compareId: number }, CompareSummary];
  'compare.list': [{ sessionId?: number }, ComparisonInfo[]];
  'trace.export': [{ runId: number; format: TraceExportFormat }, TraceExportResult];
  /** A new run (sequence 'import', status 'passed'); malformed text is 'bad-input' naming the line, nothing written. */
  'trace.import': [TraceImportInput, ImportedRun];
  'links.serialPorts': [Record<string, never>, SerialPortInfo[]];
  /** Open the link, read the endpoint's Vendor/Device ID a few times, close. Link failures are ok=false, not errors. */
  'links.test': [{ uri: string; map?: string; reads?: number }, LinkTestResult];
  'links.list': [Record<string, never>, LinkInfo[]];
}

export type ApiName = keyof ApiCalls;
export type ApiInput<N extends ApiName> = ApiCalls[N][0];
export type ApiOutput<N extends ApiName> = ApiCalls[N][1];

/** What the preload exposes as `window.cxlBench` and what the WebSocket client offers in the browser. */
export interface BenchApi {
  call<N extends ApiName>(name: N, input: ApiInput<N>): Promise<ApiOutput<N>>;
  subscribe(listener: (ev: ServerEvent) => void): () => void;
}

/**
 * Errors cross the boundary as this shape; `field` names the bad input path when validation failed. 'storage':
 * the disk refused (full, read-only, permissions), with the reason and the file named in `message`.
 */
export interface ApiErrorBody {
  code: 'bad-input' | 'not-found' | 'conflict' | 'internal' | 'storage';
  message: string;
  field?: string;
}
