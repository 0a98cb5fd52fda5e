// Per-endpoint backend choices in the topology view and the `targets` of runs.start they become (DESIGN.md 3:
// swapping an emulated endpoint for hardware is a topology edit: { link, map }).
import type { HardwareTargetSpec } from '../../../main/api/contract.js';

export type BackendChoice = { kind: 'emulated' } | { kind: 'link'; uri: string; map: string };

/** Transports hil/ knows (DESIGN.md 3); the server validates the rest of the URI. */
export const LINK_SCHEMES = ['uartbone', 'etherbone', 'etherbone+tcp', 'etherbone+udp', 'sysfs'] as const;

/** A problem with a link URI a user typed, or null when it looks like "scheme:rest". */
export function linkUriProblem(uri: string): string | null {
  const t = uri.trim();
  if (t === '') return 'give a link URI, e.g. uartbone:/dev/ttyUSB0@115200';
  const m = /^([a-z+]+):(.+)$/i.exec(t);
  if (!m) return 'a link URI is scheme:address, e.g. etherbone://127.0.0.1:1234';
  if (!(LINK_SCHEMES as readonly string[]).includes(m[1]!.toLowerCase())) return `unknown scheme "${m[1]}" (${LINK_SCHEMES.join(', ')})`;
  return null;
}

/** runs.start targets for every endpoint switched to a link; undefined when all stay emulated. */
export function targetsFor(choices: Readonly<Record<string, BackendChoice>>): Record<string, HardwareTargetSpec> | undefined {
  const out: Record<string, HardwareTargetSpec> = {};
  for (const [node, c] of Object.entries(choices)) {
    if (c.kind !== 'link') continue;
    const uri = c.uri.trim();
    const map = c.map.trim();
    out[node] = map ? { link: uri, map } : uri;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** How a backend reads in the tree: "emulated" or the URI (+ map file). */
export function describeBackend(c: BackendChoice | undefined, serverBackend: string): string {
  if (!c || c.kind === 'emulated') return serverBackend;
  return c.map.trim() ? `${c.uri.trim()} (map ${c.map.trim()})` : c.uri.trim();
}
