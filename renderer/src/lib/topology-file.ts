// A topology file as the topology view edits it (issue 7: "the swap is a topology edit"): the per-endpoint
// backend choices written into the file's endpoint entries as `backend: {link, map}` (or removed for emulated
// endpoints), and read back from a saved file. Endpoint paths follow the emulator's naming rule
// (emulator/topology/paths.ts): hb<index>.rp<port>[.sw0.dsp<port>]*.ep0, a port's number defaulting to its index.
import type { TopologyBackend } from '../../../main/api/contract.js';
import type { BackendChoice } from './backend-targets.js';

type RawPort = { port?: number; endpoint?: Record<string, unknown>; switch?: { downstreamPorts?: RawPort[] } };

/** Each endpoint object of a parsed topology file, by node path. */
export function endpointEntries(raw: unknown): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  const ports = (list: RawPort[] | undefined, parent: string, kind: 'rp' | 'dsp'): void => {
    (Array.isArray(list) ? list : []).forEach((p, i) => {
      const path = `${parent}.${kind}${typeof p?.port === 'number' ? p.port : i}`;
      if (p?.endpoint && typeof p.endpoint === 'object') out.set(`${path}.ep0`, p.endpoint);
      if (p?.switch) ports(p.switch.downstreamPorts, `${path}.sw0`, 'dsp');
    });
  };
  const hbs = (raw as { hostBridges?: { rootPorts?: RawPort[] }[] } | null)?.hostBridges;
  (Array.isArray(hbs) ? hbs : []).forEach((hb, i) => ports(hb?.rootPorts, `hb${i}`, 'rp'));
  return out;
}

/** A function in this machine's PCIe tree: its bus layout is fixed (hil/sysfs), no device map needed. */
export const isSysfsUri = (uri: string): boolean => uri.trim().startsWith('sysfs:');

/** A map the user typed: inline JSON text stays an inline object in the file, anything else is a file name. */
const mapValue = (text: string): string | Record<string, unknown> => {
  const t = text.trim();
  if (t.startsWith('{')) {
    try {
      return JSON.parse(t) as Record<string, unknown>;
    } catch {
      return t; // the server names the problem
    }
  }
  return t;
};

/**
 * The topology file `json` with each endpoint's backend as chosen: a link choice becomes `backend {link, map}`,
 * emulated removes it; endpoints without a choice keep what the file has. `name` renames the file when given.
 */
export function withBackends(json: string, choices: Readonly<Record<string, BackendChoice>>, name?: string): string {
  const raw = JSON.parse(json) as Record<string, unknown>;
  if (name !== undefined) raw.name = name;
  for (const [path, ep] of endpointEntries(raw)) {
    const c = choices[path];
    if (!c) continue;
    if (c.kind === 'emulated') delete ep.backend;
    else ep.backend = c.map.trim() === '' && isSysfsUri(c.uri) ? { link: c.uri.trim() } : { link: c.uri.trim(), map: mapValue(c.map) };
  }
  return JSON.stringify(raw, null, 2);
}

/** The backend choices a saved file carries (map objects shown as JSON text). */
export function choicesFromBackends(backends: Readonly<Record<string, TopologyBackend>>): Record<string, BackendChoice> {
  const out: Record<string, BackendChoice> = {};
  for (const [path, b] of Object.entries(backends)) out[path] = { kind: 'link', uri: b.link, map: b.map === undefined ? '' : typeof b.map === 'string' ? b.map : JSON.stringify(b.map) };
  return out;
}

/** Do the choices say the same as the file's backends (every endpoint of `paths`)? */
export function sameAsFile(choices: Readonly<Record<string, BackendChoice>>, file: Readonly<Record<string, BackendChoice>>, paths: readonly string[]): boolean {
  const norm = (c: BackendChoice | undefined): string => (!c || c.kind === 'emulated' ? 'emulated' : `${c.uri.trim()}|${c.map.trim()}`);
  return paths.every((p) => norm(choices[p]) === norm(file[p]));
}
