// Capture one topology on QEMU + Linux into a fixture directory (test/fixtures/qemu-linux/<name>): QEMU's trace
// reduced to the CXL devices (brotli-compressed), the guest console, `cxl list -vvv` before and after the
// region, the QEMU command line, the topology file, and capture.json (versions, stages, what the reduction
// dropped). `scripts/capture-qemu-fixtures.mjs` and `cxl-bench qemu capture` regenerate them.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants as zc } from 'node:zlib';
import { loadTopology, formatTopologyError } from '../../emulator/topology/load.js';
import type { RawTopology } from '../../emulator/topology/schema.js';
import { formatCommandLine, planQemu } from './cmdline.js';
import { readConsole, sectionJson } from './console-sections.js';
import { guestCmdline } from './guest-init.js';
import { findHostTools } from './host-tools.js';
import { buildInitramfs } from './initramfs.js';
import { bootQemu, type BootResult } from './qemu-boot.js';
import { reduceQemuTrace } from './trace-reduce.js';

export interface CaptureResult {
  dir: string;
  boot: BootResult;
  traceLines: number;
  keptLines: number;
}

export const FIXTURE_FILES = {
  trace: 'trace.log.br',
  console: 'console.txt',
  cxlList: 'cxl-list.json',
  cxlListRegions: 'cxl-list-regions.json',
  cmdline: 'cmdline.txt',
  topology: 'topology.json',
  meta: 'capture.json',
} as const;

export async function captureFixture(raw: RawTopology, dir: string, opts: { region?: 'ram' | 'pmem' | null; timeoutMs?: number; log?: (s: string) => void } = {}): Promise<CaptureResult> {
  const log = opts.log ?? (() => {});
  const loaded = loadTopology(structuredClone(raw));
  if (!loaded.ok) throw new Error(`topology ${raw.name}: ${loaded.errors.map(formatTopologyError).join('; ')}`);
  const tools = findHostTools();
  for (const [what, f] of Object.entries(tools)) if (!f.ok) throw new Error(`${what}: ${f.problem} (${f.fix})`);
  if (!tools.qemu.ok || !tools.kernel.ok || !tools.busybox.ok) throw new Error('unreachable');
  const kernel = tools.kernel.value;
  const planned = planQemu(loaded.topology, tools.qemu.value.caps);
  if (!planned.ok) throw new Error(`topology ${raw.name}: ${planned.errors.map(formatTopologyError).join('; ')}`);
  const plan = planned.plan;
  const initramfs = buildInitramfs({ kernel: tools.kernel.value, busybox: tools.busybox.value, cxl: tools.cxl.ok ? tools.cxl.value : null });
  const work = mkdtempSync(join(tmpdir(), 'cxl-bench-capture-'));
  try {
    const tracePath = join(work, 'trace.log');
    const region = opts.region === undefined ? 'pmem' : opts.region;
    const append = guestCmdline({ memdevs: plan.endpoints.length, ...(region ? { region, ways: plan.endpoints.length, granularity: 256 } : {}) });
    log(`${raw.name}: booting ${tools.kernel.value.release} on QEMU ${tools.qemu.value.version} (${plan.endpoints.length} memdevs)`);
    const boot = await bootQemu({
      qemu: tools.qemu.value.path,
      machineArgs: plan.args,
      kernel: tools.kernel.value.image,
      initramfs: initramfs.path,
      append,
      tracePath,
      timeoutMs: opts.timeoutMs ?? 180_000,
      onStage: (s) => log(`${raw.name}: ${(s.atMs / 1000).toFixed(1)} s ${s.line}`),
    });
    if (boot.status !== 'done') throw new Error(`${raw.name}: ${boot.status}: ${boot.reason}\n${boot.console.slice(-2000)}`);
    const lines = readFileSync(tracePath, 'utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    const nHb = plan.devices.filter((d) => d.type === 'pxb-cxl').length;
    const ranges = [{ base: plan.facts.chbcrBase, end: plan.facts.chbcrBase + nHb * plan.facts.chbcrStride }, ...plan.windows.map((w) => ({ base: w.base, end: w.base + w.size }))];
    const reduced = reduceQemuTrace(lines, ranges);
    mkdirSync(dir, { recursive: true });
    const text = reduced.kept.join('\n') + '\n';
    writeFileSync(join(dir, FIXTURE_FILES.trace), brotliCompressSync(Buffer.from(text), { params: { [zc.BROTLI_PARAM_QUALITY]: 9, [zc.BROTLI_PARAM_LGWIN]: 24, [zc.BROTLI_PARAM_SIZE_HINT]: text.length } }));
    // Paths of this machine are replaced by placeholders so the fixture reads the same everywhere.
    const console = boot.console.replace(/\r/g, '');
    writeFileSync(join(dir, FIXTURE_FILES.console), console);
    const sections = readConsole(console).sections;
    writeFileSync(join(dir, FIXTURE_FILES.cxlList), JSON.stringify(sectionJson(sections.get('cxl-list')), null, 2) + '\n');
    if (region) writeFileSync(join(dir, FIXTURE_FILES.cxlListRegions), JSON.stringify(sectionJson(sections.get('cxl-list-regions')), null, 2) + '\n');
    const argv = boot.argv.map((a) => (a === kernel.image ? '$KERNEL' : a === initramfs.path ? '$INITRAMFS' : a === tracePath ? '$TRACE' : a));
    writeFileSync(join(dir, FIXTURE_FILES.cmdline), formatCommandLine('qemu-system-x86_64', argv) + '\n');
    writeFileSync(join(dir, FIXTURE_FILES.topology), JSON.stringify(raw, null, 2) + '\n');
    const meta = {
      topology: raw.name,
      qemu: tools.qemu.value.version,
      kernel: tools.kernel.value.release,
      ndctl: tools.cxl.ok ? tools.cxl.value : null,
      region: region ? { mode: region, ways: plan.endpoints.length, granularity: 256 } : null,
      capturedAt: new Date().toISOString(),
      wallMs: boot.wallMs,
      stages: boot.stages.map((s) => ({ stage: s.stage, atMs: s.atMs })),
      trace: { lines: reduced.total, kept: reduced.kept.length, dropped: reduced.dropped },
      devices: plan.devices,
      windows: plan.windows,
    };
    writeFileSync(join(dir, FIXTURE_FILES.meta), JSON.stringify(meta, null, 2) + '\n');
    return { dir, boot, traceLines: reduced.total, keptLines: reduced.kept.length };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
