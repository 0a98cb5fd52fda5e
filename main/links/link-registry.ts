// The links this app session has opened (links.list): each URI with its transport, connection state, last
// user ("test", "run 12"), last error and latency. Tests record here directly; runs record at start and finish
// (the link itself lives in the run's worker).

import type { LatencyStats, LinkInfo, LinkState } from '../api/contract.js';

const transportOf = (uri: string): string => {
  const scheme = uri.slice(0, Math.max(0, uri.indexOf(':'))).toLowerCase();
  return scheme === 'etherbone' ? 'etherbone+tcp' : scheme || 'unknown';
};

export class LinkRegistry {
  private readonly links = new Map<string, LinkInfo>();

  /** Record a use of `uri`; unspecified fields keep their previous values. */
  record(uri: string, update: { state: LinkState; usedBy: string; error?: string | null; latency?: LatencyStats | null }, now = new Date()): LinkInfo {
    const prev = this.links.get(uri);
    const info: LinkInfo = {
      uri,
      transport: transportOf(uri),
      state: update.state,
      usedBy: update.usedBy,
      lastUsed: now.toISOString(),
      lastError: update.error !== undefined ? update.error : update.state === 'failed' ? (prev?.lastError ?? null) : null,
      latency: update.latency !== undefined ? update.latency : (prev?.latency ?? null),
    };
    this.links.delete(uri);
    this.links.set(uri, info);
    return info;
  }

  /** Newest use first. */
  list(): LinkInfo[] {
    return [...this.links.values()].reverse();
  }
}

const registries = new WeakMap<object, LinkRegistry>();

/** The registry of one app (keyed by its Services object, so tests get fresh ones). */
export function linkRegistryOf(owner: object): LinkRegistry {
  let r = registries.get(owner);
  if (!r) registries.set(owner, (r = new LinkRegistry()));
  return r;
}
