// What the main thread and a run worker say to each other (structured-clone messages).

import type { LogRow, RunStatus } from '../api/contract.js';

/** workerData of a run worker. */
export interface RunInit {
  dbPath: string;
  runId: number;
  sequence: string;
  topology: string;
  /** Modules (file URLs) exporting SEQUENCES besides the built-in registry (tests, plug-ins). */
  sequenceModules: string[];
  /** Topology nodes replaced by hardware for this run: link URI and optional device map file (hardware-targets.ts). */
  hardware?: Record<string, HardwareBinding>;
}

export interface HardwareBinding {
  link: string;
  map?: string;
}

export type WorkerMessage =
  | { type: 'progress'; done: number; total: number; phase: string; events: number }
  | { type: 'log'; row: LogRow }
  | { type: 'finished'; status: RunStatus; summary: string };

export type MainMessage = { type: 'cancel' };
