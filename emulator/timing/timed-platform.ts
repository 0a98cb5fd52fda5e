// An emulated platform whose accesses take time on the trace's clock (issue 15, finding 2): its sink is
// wrapped in a TimedSink keyed by each endpoint's device profile, and each Type 3 device reports command
// execution to it. Without a LatencyClock the platform is built as is.

import type { TraceSink } from '../../common/trace-sink.js';
import { buildPlatform, type EmulatedPlatform, type PlatformOptions } from '../topology/platform.js';
import type { EndpointNode, SwitchNode, Topology } from '../topology/types.js';
import type { LatencyClock } from './latency-clock.js';
import { TimedSink } from './timed-sink.js';

function endpointProfiles(t: Topology): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (n: EndpointNode | SwitchNode | null): void => {
    if (!n) return;
    if (n.kind === 'endpoint') out[n.path] = n.profile;
    else n.downstreamPorts.forEach((p) => visit(p.child));
  };
  t.hostBridges.forEach((hb) => hb.rootPorts.forEach((p) => visit(p.child)));
  return out;
}

export function buildTimedPlatform(topology: Topology, opts: PlatformOptions & { sink: TraceSink | null; traceClock?: LatencyClock }): EmulatedPlatform {
  if (!opts.traceClock || !opts.sink) return buildPlatform(topology, opts);
  const profiles = endpointProfiles(topology);
  const timed = new TimedSink(opts.sink, opts.traceClock, profiles);
  const platform = buildPlatform(topology, { clock: opts.clock, sink: timed, ...(opts.commitPolls !== undefined ? { commitPolls: opts.commitPolls } : {}) });
  for (const path of Object.keys(profiles)) platform.node(path)?.type3?.onMailbox((rec) => timed.commandExecuted(path, rec.opcode));
  return platform;
}
