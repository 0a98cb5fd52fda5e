// What the main thread and a run worker say to each other (structured-clone messages).

import type { MessagePort } from 'node:worker_threads';
import type { DeviceProfile } from '../../emulator/type3/config.js';
import type { KernelId } from '../../host/kernels/types.js';
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
  /** Nodes whose link the main thread holds (serialport is not worker-safe): requests go over these ports. */
  linkPorts?: Record<string, MessagePort>;
  /** Replay runs (sequence 'replay'): the source run whose accesses are issued (main/runs/replay-source.ts). */
  replay?: ReplayBinding;
  /** Every emulated endpoint's device profile, replacing the topology's. */
  profile?: DeviceProfile;
  /** Kernel profile the sequence applies (host/kernels). */
  kernel?: KernelId;
  /** The topology file's JSON text the platform is built from (saved or file topologies; topology-source.ts). */
  topologyJson?: string;
}

export interface ReplayBinding {
  sourceRunId: number;
  /** Source node → this run's node (explicit pairs; BDF-named source nodes are also mapped by enumeration). */
  nodeMap?: Record<string, string>;
}

export interface HardwareBinding {
  link: string;
  /** Device map file (absolute, or relative to the working directory). */
  map?: string;
  /** An inline device map (map JSON or LiteX csr.json text) from a topology file's `backend.map`. */
  mapText?: string;
}

export type WorkerMessage =
  | { type: 'progress'; done: number; total: number; phase: string; events: number }
  | { type: 'log'; row: LogRow }
  /** `recorded`: the worker wrote status and summary itself (false: the store refused; the main thread retries). */
  | { type: 'finished'; status: RunStatus; summary: string; recorded?: boolean };

export type MainMessage = { type: 'cancel' };
