// A host sequence (linux-probe, region) under a kernel profile on the emulated platform of a capture's own
// topology file, every endpoint with the given device profile: its access events per node and the platform's
// layouts. The platform is enumerated like firmware first (the capture's SeaBIOS did the same for QEMU); only
// the sequence's events are returned.

import { VirtualClock } from '../../common/clock.js';
import type { NodeLayout } from '../../common/layout.js';
import type { DeviceProfile } from '../../emulator/type3/config.js';
import type { KernelId } from '../../host/kernels/types.js';
import type { SequenceContext, SequenceResult } from '../../host/sequence.js';
import type { StepTraceRecord } from '../../common/trace-sink.js';
import type { AccessEvent } from '../../trace/event.js';
import { TraceBuffer } from '../../trace/trace-buffer.js';
import { buildEnvironmentFromJson } from '../runs/environment.js';

export interface ModelRun {
  byNode: Map<string, AccessEvent[]>;
  layouts: Map<string, NodeLayout>;
  steps: Array<Omit<StepTraceRecord, 'sequence'>>;
  result: SequenceResult;
}

export async function runModel(
  topologyJson: string,
  profile: DeviceProfile,
  kernel: KernelId,
  sequence: (ctx: SequenceContext) => Promise<SequenceResult>,
  /** Optional work on the same platform before the recorded part (e.g. the probe before a region). */
  before?: (ctx: SequenceContext) => Promise<unknown>,
): Promise<ModelRun> {
  const clock = new VirtualClock();
  const buf = new TraceBuffer(clock);
  const env = buildEnvironmentFromJson(topologyJson, clock, buf, { profile });
  const steps: ModelRun['steps'] = [];
  const ctx: SequenceContext = {
    targets: env.targets,
    platform: env.platform,
    sink: null,
    clock,
    kernel,
    sleep: async (ns) => clock.advance(ns),
    step: (s) => steps.push(s),
    progress: () => {},
    signal: new AbortController().signal,
  };
  if (before) await before(ctx);
  const from = buf.count;
  const result = await sequence(ctx);
  const byNode = new Map<string, AccessEvent[]>();
  for (const e of buf.events(from, buf.count)) {
    if (e.kind !== 'access') continue;
    const list = byNode.get(e.node) ?? [];
    list.push(e);
    byNode.set(e.node, list);
  }
  return { byNode, layouts: new Map(env.layout.map((l) => [l.node, l])), steps, result };
}
