// The lab store's API types (issue 17): shared by main/lab, calls-lab.ts and the renderer's Lab view.
// Types only (DESIGN.md 6).

import type { Verdict } from '../../common/trace-sink.js';
import type { CompareSummary, Page, RunStatus, Step, TraceRow } from './contract.js';

/** lab.status: whether a lab is configured and reachable, named without credentials. */
export interface LabStatus {
  configured: boolean;
  /** postgres://user@host:port/db (never a password). */
  lab: string | null;
  source: 'option' | 'env' | 'settings' | null;
  bench: string;
  reachable: boolean;
  /** The lab's schema number (0: not initialised). */
  schema: number;
  /** Whether this connection may publish (INSERT on the lab's tables). */
  canPublish: boolean;
  /** Why it is not reachable / usable. */
  error: string | null;
}

export interface LabBench {
  id: number;
  name: string;
  host: string;
  firstSeen: string;
  lastSeen: string;
  sessions: number;
  runs: number;
}

export interface LabBoard {
  id: number;
  serial: string;
  revision: string;
  gateware: string;
  firmware: string;
  /** Bench that published it last. */
  bench: string;
  lastSeen: string;
  runs: number;
}

export interface LabDevice {
  node: string;
  kind: 'emulated' | 'hardware';
  serial: string;
  revision: string;
  gateware: string;
  firmware: string;
  link: string;
}

export interface LabSession {
  id: number;
  bench: string;
  name: string;
  createdAt: string;
  publishedAt: string;
  runs: number;
  /** Saved comparisons and notes published with the session. */
  comparisons: number;
  notes: number;
}

/** A bench's saved topology as published (lab topologies). */
export interface LabTopology {
  bench: string;
  name: string;
  sha256: string;
  updatedAt: string;
  json: string;
}

export interface LabRun {
  id: number;
  bench: string;
  sessionId: number;
  session: string;
  /** The run's id on its bench. */
  localId: number;
  sequence: string;
  topology: string;
  targets: string;
  status: RunStatus;
  startedAt: string;
  endedAt: string | null;
  summary: string | null;
  eventCount: number;
  stepCounts: Record<Verdict, number>;
  devices: LabDevice[];
}

export interface LabRunDetail extends LabRun {
  steps: Step[];
  topologyJson: string | null;
  /** Notes on the run (and on its session as a whole) published with it. */
  notes: { createdAt: string; text: string; onSession: boolean }[];
}

/** Filters of lab.runs (all optional, combined with AND). */
export interface LabRunFilter {
  bench?: string;
  sessionId?: number;
  serial?: string;
  revision?: string;
  gateware?: string;
  sequence?: string;
  status?: RunStatus;
  offset?: number;
  limit?: number;
}

export interface LabPublishInput {
  sessionId: number;
  /** Board revision / gateware build / firmware for every endpoint of the runs, overriding the device's. */
  revision?: string;
  gateware?: string;
  firmware?: string;
}

export interface LabPublishResult {
  lab: string;
  bench: string;
  sessionId: number;
  labSessionId: number;
  runs: { localId: number; labId: number | null; outcome: 'published' | 'resumed' | 'unchanged' | 'skipped-running'; events: number }[];
  eventsSent: number;
  comparisons: number;
  notes: number;
  topologies: number;
  seconds: number;
}

export interface LabPullResult {
  labRunId: number;
  /** The local run now holding it (a run pulled before is reused). */
  runId: number;
  sessionId: number;
  events: number;
  reused: boolean;
}

/** One (revision, gateware, firmware) group of a check's history, oldest first. */
export interface LabHistoryGroup {
  revision: string;
  gateware: string;
  firmware: string;
  firstSeen: string;
  counts: Record<Verdict, number>;
  /** The worst verdict seen in the group (fail > warn > pass > info). */
  verdict: Verdict;
  runs: { runId: number; bench: string; serial: string; startedAt: string; verdict: Verdict; reason: string }[];
}

export interface LabHistory {
  check: string;
  sequence: string | null;
  groups: LabHistoryGroup[];
  /** Where the verdict changed between consecutive groups. */
  changes: { from: string; to: string; before: Verdict; after: Verdict }[];
  /** e.g. "fails since rev-b build 1234 (fw-2.1)"; null when it never changed or never ran. */
  since: string | null;
}

export interface LabCalls {
  'lab.status': [{ url?: string }, LabStatus];
  /** Use this lab for the rest of the process (kept in memory only, never in the database). */
  'lab.connect': [{ url: string; bench?: string }, LabStatus];
  'lab.benches': [Record<string, never>, LabBench[]];
  'lab.boards': [Record<string, never>, LabBoard[]];
  'lab.sessions': [{ bench?: string }, LabSession[]];
  'lab.runs': [LabRunFilter, Page<LabRun>];
  'lab.run': [{ id: number }, LabRunDetail];
  'lab.trace': [{ runId: number; offset: number; limit: number }, Page<TraceRow>];
  /** Start publishing a session; progress arrives as 'lab.progress' server events; one publish at a time. */
  'lab.publish': [LabPublishInput, LabPublishResult];
  'lab.cancel': [Record<string, never>, { cancelled: boolean }];
  'lab.pull': [{ runId: number }, LabPullResult];
  /** Pull two lab runs (from any benches) and compare them locally. */
  'lab.compare': [{ runA: number; runB: number; masks?: string[] }, { pulled: [LabPullResult, LabPullResult]; summary: CompareSummary }];
  'lab.history': [{ check: string; sequence?: string; serial?: string }, LabHistory];
}
