// The layout of a built-in topology without running anything: the emulated endpoints are built once around a
// throwaway clock and a sink that records nothing, and only their layout is kept. Imported traces use it to
// decode (DESIGN.md 5: "stored with the run, so any trace can be decoded").

import { VirtualClock } from '../../common/clock.js';
import type { Layout } from '../../common/layout.js';
import type { TraceSink } from '../../common/trace-sink.js';
import { BUILTIN_TOPOLOGIES, emulatedPlatform } from '../runs/emulated-endpoints.js';

const silentSink: TraceSink = { nodeId: () => 0, access: () => {}, mailbox: () => {}, step: () => {} };

const cache = new Map<string, Layout>();

/** The layout of built-in topology `name`, or [] when there is no such topology. */
export function builtinLayout(name: string): Layout {
  if (!BUILTIN_TOPOLOGIES.includes(name)) return [];
  const hit = cache.get(name);
  if (hit) return hit;
  const l = emulatedPlatform(name, new VirtualClock(), silentSink).layout;
  cache.set(name, l);
  return l;
}

/** The built-in topology whose nodes cover most of `nodes` (ties: the first listed), or null if none matches. */
export function topologyFor(nodes: ReadonlySet<string>): string | null {
  let best: string | null = null;
  let bestHits = 0;
  for (const t of BUILTIN_TOPOLOGIES) {
    const hits = builtinLayout(t).filter((n) => nodes.has(n.node)).length;
    if (hits > bestHits) [best, bestHits] = [t, hits];
  }
  return best;
}
