// API types of the QEMU + Linux target (main/qemu, calls-qemu.ts). Shared with the renderer as types only.

import type { Run } from './contract.js';

export interface QemuFinding {
  what: 'qemu' | 'kernel' | 'busybox' | 'cxl';
  ok: boolean;
  /** Where it was found (ok) or what is missing (not ok). */
  detail: string;
  /** How to get it (not ok). */
  fix?: string;
  /** Needed to boot at all (cxl is needed only for `cxl list` and regions). */
  required: boolean;
}

export interface QemuDoctorReport {
  ok: boolean;
  findings: QemuFinding[];
}

export interface QemuOptionsInput {
  topology?: string;
  topologyJson?: string;
  kernel?: string;
  qemu?: string;
  region?: 'ram' | 'pmem';
  ways?: number;
  granularity?: number;
}

export interface QemuRunApiInput extends QemuOptionsInput {
  sessionId: number;
  timeoutS?: number;
}

export interface QemuCmdlineResult {
  topology: string;
  /** The whole command line, one option per line, shell-quoted (the initramfs is built at run time). */
  commandLine: string;
  argv: string[];
  /** Fields QEMU builds differently from the topology, with what it does instead. */
  warnings: string[];
  /** Node → QEMU device type, in command-line order. */
  devices: { node: string; type: string }[];
  qemuVersion: string;
  kernel: string;
}

export interface QemuTopologyInfo {
  name: string;
  json: string;
  description: string;
}

export interface QemuApiCalls {
  /** What this machine has for QEMU runs and how to get what is missing. Never an error. */
  'qemu.doctor': [{ kernel?: string; qemu?: string }, QemuDoctorReport];
  /** The QEMU command line a run of this topology would use; a topology QEMU cannot build is 'bad-input' naming the field. */
  'qemu.cmdline': [QemuOptionsInput, QemuCmdlineResult];
  /** Start a QEMU + Linux run (sequence 'qemu-linux'); progress and the end come as run.progress / run.finished. */
  'qemu.run': [QemuRunApiInput, Run];
  /** Topologies that match what QEMU 7.2 builds exactly. */
  'qemu.topologies': [Record<string, never>, QemuTopologyInfo[]];
  /** The guest console of a QEMU run, line by line. */
  'qemu.console': [{ runId: number }, { lines: string[] }];
}
