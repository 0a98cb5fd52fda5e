// The three fidelity figures of one real capture (test/fixtures/qemu-linux/<name>), for a kernel profile and
// a device profile (README "Fidelity"): (a) probe alignment and value equality per Type 3 device
// (probe-alignment.ts), (b) the guest's whole access stream replayed into our emulator — reads answered with
// QEMU's value, devices and the machine (ports, host bridges) apart (replay-values.ts), (c) the region's
// decoder writes vs the real `cxl create-region` (region-writes.ts).

import type { DeviceProfile } from '../../emulator/type3/config.js';
import type { KernelId } from '../../host/kernels/types.js';
import { linuxProbeRun } from '../../host/sequences/linux-probe/index.js';
import { regionRun } from '../../host/sequences/region/index.js';
import { StructureIndex } from '../../trace/fidelity/keys.js';
import { readQemuCapture, qemuFixtureDir, type QemuCapture } from '../qemu/qemu-fixture.js';
import { captureStreams } from './capture-events.js';
import { runModel } from './model-run.js';
import { probeFigure, type DeviceProbeFigure } from './probe-alignment.js';
import { decoderWrites, regionFigure, type RegionFigure } from './region-writes.js';
import { replayFigure, type ReplayFigure } from './replay-values.js';

export interface FidelityFigures {
  capture: string;
  qemu: string;
  kernelRelease: string;
  kernel: KernelId;
  profile: DeviceProfile;
  probe: DeviceProbeFigure[];
  /** Lowest per-device figures (what the thresholds are checked on). */
  probeMinAlignedPct: number;
  probeMinValuesPct: number;
  replay: ReplayFigure;
  /** Reads at Type 3 devices answered as QEMU did (%), and at the machine's ports and host bridges. */
  replayDevicePct: number;
  replayMachinePct: number;
  region: RegionFigure | null;
}

const pct = (a: number, b: number) => (b ? Math.round((1000 * a) / b) / 10 : 100);

export async function measureCapture(cap: QemuCapture, name: string, kernel: KernelId = '6.1', profile: DeviceProfile = 'qemu-7.2'): Promise<FidelityFigures> {
  const real = await captureStreams(cap);
  const devices = [...real.types].filter(([, t]) => t === 'cxl-type3').map(([n]) => n);

  const probeModel = await runModel(cap.topologyJson, profile, kernel, (ctx) => linuxProbeRun(ctx));
  const probe = devices.map((d) => probeFigure(d, real, probeModel));

  const replay = await replayFigure(cap.topologyJson, profile, real);
  let dr = 0;
  let de = 0;
  let mr = 0;
  let me = 0;
  for (const [node, c] of Object.entries(replay.perNode)) {
    if (devices.includes(node)) {
      dr += c.reads;
      de += c.equal;
    } else {
      mr += c.reads;
      me += c.equal;
    }
  }

  let region: RegionFigure | null = null;
  const r = cap.meta.region;
  if (r) {
    const model = await runModel(cap.topologyJson, profile, kernel, (ctx) => regionRun(ctx, { mode: r.mode, granularity: r.granularity, keep: true, memtest: false }), (ctx) => linuxProbeRun(ctx));
    const idx = (m: ReadonlyMap<string, import('../../common/layout.js').NodeLayout>) => new Map([...m].map(([k, v]) => [k, new StructureIndex(v)]));
    const modelEvents = [...model.byNode.values()].flat().sort((a, b) => a.seq - b.seq);
    region = regionFigure(decoderWrites(real.all, idx(real.layouts)), decoderWrites(modelEvents, idx(model.layouts)));
  }

  return {
    capture: name,
    qemu: cap.meta.qemu,
    kernelRelease: cap.meta.kernel,
    kernel,
    profile,
    probe,
    probeMinAlignedPct: Math.min(...probe.map((p) => p.alignedPct)),
    probeMinValuesPct: Math.min(...probe.map((p) => p.valuesPct)),
    replay,
    replayDevicePct: pct(de, dr),
    replayMachinePct: pct(me, mr),
    region,
  };
}

export const measureFixture = (name: string, kernel?: KernelId, profile?: DeviceProfile): Promise<FidelityFigures> => measureCapture(readQemuCapture(qemuFixtureDir(name)), name, kernel, profile);

/** One line per capture: the three figures. */
export function figuresLine(f: FidelityFigures): string {
  const reg = f.region ? (f.region.equal ? `equal (${f.region.real.length} writes)` : `differs at write ${f.region.firstDifference} (${f.region.matching}/${f.region.real.length})`) : 'no region';
  return `${f.capture.padEnd(12)} probe aligned ${f.probeMinAlignedPct}% values ${f.probeMinValuesPct}% (${f.probe.length} device(s), Linux ${f.kernel}) · replay ${f.profile}: devices ${f.replayDevicePct}%, machine ${f.replayMachinePct}% · region ${reg}`;
}
