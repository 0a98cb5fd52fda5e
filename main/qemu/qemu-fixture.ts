// Read a capture directory written by capture.ts (test/fixtures/qemu-linux/<name>): the reduced QEMU trace
// (brotli), the console, `cxl list` JSON, the topology file and capture.json.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';
import type { PlannedDevice, PlannedWindow } from './cmdline.js';
import { FIXTURE_FILES } from './capture.js';

export interface QemuCaptureMeta {
  topology: string;
  qemu: string;
  kernel: string;
  region: { mode: 'ram' | 'pmem'; ways: number; granularity: number } | null;
  wallMs: number;
  stages: { stage: string; atMs: number }[];
  trace: { lines: number; kept: number; dropped: Record<string, number> };
  devices: PlannedDevice[];
  windows: PlannedWindow[];
}

export interface QemuCapture {
  dir: string;
  trace: string;
  console: string;
  cxlList: unknown;
  cxlListRegions: unknown;
  topologyJson: string;
  cmdline: string;
  meta: QemuCaptureMeta;
}

/** The fixtures this repository carries. */
export const QEMU_FIXTURE_NAMES = ['single', 'interleave2', 'switch4', 'hb2'] as const;

export const qemuFixtureDir = (name: string): string => fileURLToPath(new URL(`../../test/fixtures/qemu-linux/${name}/`, import.meta.url));

export function readQemuCapture(dir: string): QemuCapture {
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  const json = (f: string) => (existsSync(join(dir, f)) ? JSON.parse(read(f)) : null);
  return {
    dir,
    trace: brotliDecompressSync(readFileSync(join(dir, FIXTURE_FILES.trace))).toString('utf8'),
    console: read(FIXTURE_FILES.console),
    cxlList: json(FIXTURE_FILES.cxlList),
    cxlListRegions: json(FIXTURE_FILES.cxlListRegions),
    topologyJson: read(FIXTURE_FILES.topology),
    cmdline: read(FIXTURE_FILES.cmdline),
    meta: JSON.parse(read(FIXTURE_FILES.meta)) as QemuCaptureMeta,
  };
}
