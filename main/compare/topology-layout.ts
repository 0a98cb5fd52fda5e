// The layout of a built-in topology without running anything: the emulated endpoints are built once around a
// throwaway clock and a sink that records nothing, and only their layout is kept. Imported traces use it to
// decode (DESIGN.md 5: "stored with the run, so any trace can be decoded").

import { VirtualClock } from '../../common/clock.js';
import type { Layout } from '../../common/layout.js';
import type { TraceSink } from '../../common/trace-sink.js';
import type { NodeKind } from '../../common/layout.js';
import type { Topology } from '../../emulator/topology/types.js';
import { QEMU_DEVICE_ROLES, type QemuDevice } from '../../host/core/qemu-roles.js';
import { BUILTIN_TOPOLOGIES, emulatedPlatform, emulatedPlatformOf } from '../runs/emulated-endpoints.js';

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

const byJson = new Map<string, Layout>();

/** The layout of any validated topology (a file or a saved one), cached by its JSON. */
export function topologyLayout(t: Topology): Layout {
  const key = JSON.stringify(t, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
  const hit = byJson.get(key);
  if (hit) return hit;
  const l = emulatedPlatformOf(structuredClone(t), new VirtualClock(), silentSink).layout;
  if (byJson.size > 16) byJson.clear();
  byJson.set(key, l);
  return l;
}

/** The smallest built-in topology with a node for every QEMU device of a CXL role (ties: listed order). */
export function topologyForQemu(devices: readonly QemuDevice[], candidates: readonly string[]): string | undefined {
  const need = new Map<NodeKind, number>();
  for (const d of devices) {
    const k = QEMU_DEVICE_ROLES[d.name];
    if (k) need.set(k, (need.get(k) ?? 0) + 1);
  }
  let best: { name: string; size: number } | undefined;
  for (const name of candidates) {
    const layout = builtinLayout(name);
    if (!layout.length) continue;
    const ok = [...need].every(([k, n]) => layout.filter((x) => x.kind === k).length >= n);
    if (ok && (!best || layout.length < best.size)) best = { name, size: layout.length };
  }
  return best?.name;
}
