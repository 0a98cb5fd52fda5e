// The API's types: shared by the services (main/), both bindings (Electron IPC, WebSocket) and the renderer.
// Types only — the renderer may import this file, never code from main/ (DESIGN.md section 6).
// The table itself (schemas + handlers) lives in main/api/table.ts and must list exactly these calls.

import type { Verdict } from '../../common/trace-sink.js';

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

/** Pushed to subscribers (IPC event / WebSocket message) while runs execute. */
export type ServerEvent =
  | { type: 'run.progress'; runId: number; done: number; total: number; phase: string; events: number }
  | { type: 'run.finished'; runId: number; status: RunStatus; summary: string }
  | { type: 'log'; row: LogRow };

/** Every call: name -> [input, output]. */
export interface ApiCalls {
  'app.info': [Record<string, never>, AppInfo];
  'sessions.create': [{ name: string }, Session];
  'sessions.list': [Record<string, never>, Session[]];
  'sessions.rename': [{ id: number; name: string }, Session];
  'sessions.delete': [{ id: number }, { deleted: true }];
  'runs.start': [{ sessionId: number; sequence?: string; topology?: string }, Run];
  'runs.list': [{ sessionId?: number }, Run[]];
  'runs.get': [{ id: number }, RunDetail];
  /** Ask a running run to stop at its next step; it ends 'interrupted'. A finished run is returned unchanged. */
  'runs.cancel': [{ id: number }, Run];
  'trace.page': [{ runId: number; offset: number; limit: number; filter?: TraceFilter }, Page<TraceRow>];
  'logs.page': [{ runId?: number; offset: number; limit: number }, Page<LogRow>];
}

export type ApiName = keyof ApiCalls;
export type ApiInput<N extends ApiName> = ApiCalls[N][0];
export type ApiOutput<N extends ApiName> = ApiCalls[N][1];

/** What the preload exposes as `window.cxlBench` and what the WebSocket client offers in the browser. */
export interface BenchApi {
  call<N extends ApiName>(name: N, input: ApiInput<N>): Promise<ApiOutput<N>>;
  subscribe(listener: (ev: ServerEvent) => void): () => void;
}

/** Errors cross the boundary as this shape; `field` names the bad input path when validation failed. */
export interface ApiErrorBody {
  code: 'bad-input' | 'not-found' | 'conflict' | 'internal';
  message: string;
  field?: string;
}
