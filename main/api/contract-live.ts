// The live bench's API types (issues 3, 4, 5 user reach): topologies, a live emulated platform per session,
// the register explorer, the mailbox console and fault injection. Types only — the renderer may import this
// file (it is re-exported by contract.ts); the handlers live in main/api/calls-live.ts.
//
// Every access made through a live platform is recorded into the session's "console" run (sequence 'console',
// status 'running' while open, 'passed' once closed), so `trace.page {runId}` shows it like any run's trace.

import type { Run, LogRow } from './contract.js';

/** A node kind as the layout names it (common/layout.ts NodeKind). */
export type LiveNodeKind = 'host-bridge' | 'root-port' | 'switch-usp' | 'switch-dsp' | 'type3';

/** A register region (common/access.ts Region). */
export type LiveRegion = 'cfg' | 'bar0' | 'bar1' | 'bar2' | 'bar3' | 'bar4' | 'bar5' | 'chbcr';

export interface TopologySummary {
  name: string;
  /** One line, e.g. "1 host bridge, 1 root port, 1 Type 3 (256 MiB volatile + 256 MiB persistent)". */
  description: string;
}

export interface TopologyNodeInfo {
  /** Topology path, e.g. "hb0.rp0.ep0". */
  path: string;
  kind: LiveNodeKind;
  /** 'emulated' or the link URI of the hardware behind it. */
  backend: string;
  /** "0c:00.0" once enumerated (live platforms are enumerated as firmware would); absent for host bridges. */
  bdf?: string;
}

/** A field-level topology-file problem: `path` like "hostBridges[0].rootPorts[1].endpoint.capacity". */
export interface TopologyFieldError {
  path: string;
  message: string;
}

export interface TopologyView {
  name: string;
  /** The tree as `cxl-bench topology show` prints it. */
  tree: string;
  nodes: TopologyNodeInfo[];
}

export interface TopologyCheckResult {
  ok: boolean;
  /** Every problem, one per field (empty when ok). */
  errors: TopologyFieldError[];
  /** The validated view when ok. */
  view?: TopologyView;
}

export interface LiveBench {
  sessionId: number;
  topology: string;
  /** The session's console run: its trace holds every live access. */
  runId: number;
  nodes: TopologyNodeInfo[];
}

/** A register block placed in a node's region (common/layout.ts PlacedBlock + its declaration's names). */
export interface RegBlockInfo {
  region: LiveRegion;
  /** Byte offset of the block in the region. */
  base: number;
  /** Block kind id, e.g. 'cxl-hdm-decoder'. */
  id: string;
  name: string;
  /** Spec citation, e.g. "CXL 2.0 8.2.5.12"; '' when none. */
  spec: string;
  size: number;
  params?: Record<string, number>;
}

export interface DecodedField {
  name: string;
  /** Inclusive [hi, lo]. */
  bits: [number, number];
  access: string;
  /** Field value, hex "0x...". */
  value: string;
  desc: string;
  /** Named values of the field (decode table). */
  values?: Record<number, string>;
  /** The name of the current value, when it has one. */
  valueName?: string;
}

export interface DecodedRegister {
  /** Block kind id and its name. */
  block: string;
  blockName: string;
  /** Byte offset in the region (block base + register offset). */
  offset: number;
  width: 1 | 2 | 4 | 8;
  name: string;
  /** Hex, "0x" + width*2 digits. */
  value: string;
  fields: DecodedField[];
}

export interface MailboxCommandInfo {
  opcode: number;
  /** "0x4000" */
  opcodeHex: string;
  name: string;
  /** Input length rule: "none", "16 bytes", ">= 8 bytes", "4-5 bytes", "variable". */
  input: string;
  /** CEL Command Effect bits (CXL 2.0 8.2.9.4.2.1). */
  effects: number;
  background: boolean;
  /** The input payload as fields (from the payload declarations), when the command takes a declared input. */
  form?: MailboxForm;
}

/** A mailbox command's input as a form (issue 15, finding 16): fields little-endian at their offsets. */
export interface MailboxForm {
  /** Bytes of the fixed input. */
  size: number;
  fields: MailboxFormField[];
}

export interface MailboxFormField {
  name: string;
  label: string;
  offset: number;
  kind: 'u8' | 'u16' | 's16' | 'u24' | 'u32' | 'u64' | 'bytes';
  bytes: number;
  /** Named values of an enumerated field (shown by name, entered from a list). */
  values?: Record<number, string>;
  unit?: string;
  /** The value must be a multiple of this (a DPA in 64-byte lines). */
  align?: number;
}

export interface MailboxSendResult {
  opcode: number;
  name: string;
  /** Device return code (0xffff when the command never completed, with `error`). */
  returnCode: number;
  returnName: string;
  outputHex: string;
  /** Decoded output when the host knows the payload (Identify, Partition Info, poison list, health, ...). */
  decoded?: unknown;
  /** Virtual time the command took (doorbell polls, background wait). */
  durationNs: number;
  background: boolean;
  /** Transport-level failure (busy, timeout), as the kernel would log it. */
  error?: string;
}

export type InjectEventLog = 'informational' | 'warning' | 'failure' | 'fatal';
export type InjectEventKind = 'general-media' | 'dram' | 'memory-module';
export type InjectMediaState = 'ready' | 'not-ready' | 'error' | 'disabled';

export interface InjectResult {
  ok: true;
  /** What changed, e.g. "poisoned DPA 0x1000 +64 (1 record)". */
  effect: string;
  /** The log row recorded for the injection (also in logs.page for the console run). */
  log: LogRow;
  /** inject.ras only: status bits recorded, bits the mask register held back, mask bits cleared first (hex). */
  ras?: { set: string; masked: string; unmasked: string };
}

/** What a Type 3 device holds now (the injection panel's "effect" view); read from the model, not traced. */
export interface LiveDeviceState {
  node: string;
  mediaState: InjectMediaState;
  volatileBytes: number;
  persistentBytes: number;
  lsaBytes: number;
  poisonRecords: number;
  poisonOverflow: boolean;
  /** Records waiting in each event log, and whether it overflowed. */
  eventCounts: Record<InjectEventLog, number>;
  eventOverflow: Record<InjectEventLog, boolean>;
  /** Background operation (CXL 2.0 8.2.8.4.7). */
  background: { running: boolean; opcode: number; percent: number; returnCode: number };
  /** CXL RAS Uncorrectable / Correctable Error Status (CXL 2.0 8.2.5.9), hex. */
  rasUncorrectable: string;
  rasCorrectable: string;
  /** Device timestamp (virtual ns). */
  timestampNs: number;
}

/** Numbers may be given as integers or hex text ("0x1000"). */
export type NumberLike = number | string;

export interface LiveApiCalls {
  'topology.list': [Record<string, never>, TopologySummary[]];
  /** A built-in topology by name, or a topology file's JSON text; invalid JSON is 'bad-input' with field "json.<path>". */
  'topology.show': [{ name?: string; json?: string }, TopologyView];
  /** Validate a topology file's JSON text; never an error for a bad file (errors are listed). */
  'topology.check': [{ json: string }, TopologyCheckResult];
  /** Open (or return the already open) live platform of a session. */
  /** topologyJson: a topology file's text (named by topology, else the file's own name). */
  'live.open': [{ sessionId: number; topology?: string; topologyJson?: string }, LiveBench];
  /** Close it; its console run becomes 'passed'. */
  'live.close': [{ sessionId: number }, Run];
  /** The live platform of a session, or null when none is open. */
  'live.get': [{ sessionId: number }, LiveBench | null];
  'regs.blocks': [{ sessionId: number; node: string }, RegBlockInfo[]];
  /** Decoded registers of one block (id, or base as "0x100") or of the whole region. Reads are live (traced). */
  'regs.read': [{ sessionId: number; node: string; region: LiveRegion; block?: string }, DecodedRegister[]];
  /** Write then re-read the register at `offset` (decoded). */
  'regs.write': [{ sessionId: number; node: string; region: LiveRegion; offset: number; width: 1 | 2 | 4 | 8; value: NumberLike }, DecodedRegister];
  /** The opcode table (of a live node's device when given, else the full standard set). */
  'mailbox.commands': [{ sessionId?: number; node?: string }, MailboxCommandInfo[]];
  /** opcode: number, hex text "0x4000" or a name ("identify", "getPoisonList"). */
  'mailbox.send': [{ sessionId: number; node: string; opcode: NumberLike; payloadHex?: string }, MailboxSendResult];
  /** Poison [dpa, dpa+length) (64-byte lines; length default 64). */
  'inject.poison': [{ sessionId: number; node: string; dpa: NumberLike; length?: number }, InjectResult];
  'inject.event': [{ sessionId: number; node: string; log: InjectEventLog; kind: InjectEventKind; dpa?: NumberLike; flags?: number; eventType?: number }, InjectResult];
  /**
   * Detect CXL RAS errors (CXL 2.0 8.2.5.9): mask of Uncorrectable / Correctable Error Status bits. Masked errors
   * (all, after reset) are not recorded and the result says so; `unmask` clears those mask bits first.
   */
  'inject.ras': [{ sessionId: number; node: string; kind: 'uncorrectable' | 'correctable'; bits: NumberLike; unmask?: boolean }, InjectResult];
  'inject.media': [{ sessionId: number; node: string; state: InjectMediaState }, InjectResult];
  /** A Type 3 device's current state: media, poison, event logs, background op, RAS status. */
  'live.device': [{ sessionId: number; node: string }, LiveDeviceState];
}
