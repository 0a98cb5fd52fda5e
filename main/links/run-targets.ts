// runs.start `targets` (issue 7): validate each "node -> link" binding before a run is created — the node must
// be a Type 3 endpoint of the topology, the URI must parse, a map file must load — naming the field
// ("targets.hb0.rp0.ep0"), and record the links in this app session's link list while the run uses them.

import { parseLinkUri } from '../../hil/link.js';
import { ApiError } from '../api/api-error.js';
import type { HardwareTargetSpec } from '../api/contract.js';
import { builtinLayout } from '../compare/topology-layout.js';
import type { HardwareBinding } from '../runs/messages.js';
import type { Services } from '../services/services.js';
import { endpointDeviceMap } from './device-maps.js';
import { linkRegistryOf } from './link-registry.js';

/** `endpoints`: the topology's Type 3 paths when it is not a built-in (a saved or file topology). */
export function resolveRunTargets(
  topology: string,
  targets: Readonly<Record<string, HardwareTargetSpec>> | undefined,
  endpoints: readonly string[] = builtinLayout(topology).filter((n) => n.kind === 'type3').map((n) => n.node),
): Record<string, HardwareBinding> | undefined {
  const entries = Object.entries(targets ?? {});
  if (!entries.length) return undefined;
  const out: Record<string, HardwareBinding> = {};
  for (const [node, spec] of entries) {
    const field = `targets.${node}`;
    if (!endpoints.includes(node))
      throw new ApiError('bad-input', `runs.start: ${field}: "${node}" is not an endpoint of topology ${topology} (endpoints: ${endpoints.join(', ') || 'none'})`, field);
    const b: HardwareBinding = typeof spec === 'string' ? { link: spec } : { link: spec.link, ...(spec.map ? { map: spec.map } : {}) };
    try {
      parseLinkUri(b.link);
    } catch (e) {
      throw new ApiError('bad-input', `runs.start: ${field}: ${(e as Error).message}`, field);
    }
    if (b.map !== undefined) {
      try {
        endpointDeviceMap(b.map);
      } catch (e) {
        throw new ApiError('bad-input', `runs.start: ${field}.map: ${(e as Error).message}`, `${field}.map`);
      }
    }
    out[node] = b;
  }
  return out;
}

/** Show the run's links as connected while it runs, then idle or failed (with the run's reason). */
export function trackRunLinks(s: Services, runId: number, hardware: Readonly<Record<string, HardwareBinding>>): void {
  const reg = linkRegistryOf(s);
  const usedBy = `run ${runId}`;
  for (const b of Object.values(hardware)) reg.record(b.link, { state: 'connected', usedBy, error: null });
  void s.runs.wait(runId).then((status) => {
    const run = s.store.runs.get(runId);
    for (const b of Object.values(hardware))
      reg.record(b.link, status === 'error' ? { state: 'failed', usedBy, error: run?.summary ?? 'run error' } : { state: 'idle', usedBy, error: null });
  });
}
