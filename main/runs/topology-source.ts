// What topology a run (or a live bench) is built from (issue 7: topology files as first-class inputs): a
// built-in name, a topology saved in the store (topologies table), or a topology file's JSON text given inline
// (the CLI's `--topology FILE`). The result carries the exact JSON, which the run records and its worker builds
// the platform from, and the hardware bindings of every endpoint whose entry has `backend: {link, map}` — as if
// `--target NODE=URI --map FILE` had been given. A map is a file path (relative ones resolve against the
// topology file's directory, or the working directory), an inline map object, or inline JSON text.

import { isAbsolute, resolve } from 'node:path';
import { DEFAULT_TOPOLOGIES, DEFAULT_TOPOLOGY_NAMES, isDefaultTopologyName } from '../../emulator/topology/index.js';
import { formatTopologyError, loadTopology } from '../../emulator/topology/load.js';
import type { EndpointBackend, Topology } from '../../emulator/topology/types.js';
import { loadDeviceMap } from '../../hil/device-map.js';
import { parseLinkUri } from '../../hil/link.js';
import { ApiError } from '../api/api-error.js';
import { endpointDeviceMap } from '../links/device-maps.js';
import type { TopologiesRepo } from '../store/topologies-repo.js';
import { topologyEndpoints } from './emulated-endpoints.js';
import type { HardwareBinding } from './messages.js';

/** The run environment's empty bench (environment.ts): no platform, no JSON. */
export const EMPTY_BENCH = 'none';

/** Names a saved topology may have: no built-in's, nothing that reads as a path. */
export const SAVED_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export interface TopologySource {
  /** The name the run is listed under (built-in, saved name, or the file's "name"). */
  name: string;
  kind: 'builtin' | 'saved' | 'file' | 'empty';
  /** The exact JSON text (null for the empty bench). */
  json: string | null;
  topology: Topology | null;
  /** Where relative device-map paths of the file's backends resolve (absolute). */
  baseDir: string;
}

export interface TopologyLookup {
  /** Built-in names (including the empty bench) the run environment knows. */
  hasBuiltin(name: string): boolean;
  saved: Pick<TopologiesRepo, 'get' | 'list'>;
}

/** Validate topology JSON text; a bad file is 'bad-input' naming `${field}.<path>` with every error in the message. */
export function parseTopologyJson(json: string, field: string, call: string): Topology {
  const r = loadTopology(json);
  if (r.ok) return r.topology;
  const first = r.errors[0]!;
  throw new ApiError('bad-input', `${call}: ${field}: ${r.errors.map(formatTopologyError).join('; ')}`, first.path ? `${field}.${first.path}` : field);
}

/** The JSON text of a built-in topology, as a file would hold it. */
export const builtinTopologyJson = (name: string): string | null =>
  isDefaultTopologyName(name) ? JSON.stringify(DEFAULT_TOPOLOGIES[name], null, 2) : null;

/**
 * The topology of runs.start / live.open: `json` (inline file text) when given, else `name` — built-in first,
 * then saved. Unknown names are 'bad-input' on `field` listing what exists.
 */
export function resolveTopologySource(
  lookup: TopologyLookup,
  input: { name?: string; json?: string; dir?: string },
  call: string,
  fallback: string,
): TopologySource {
  const baseDir = input.dir ? resolve(input.dir) : resolve('.');
  if (input.json !== undefined) {
    const topology = parseTopologyJson(input.json, 'topologyJson', call);
    return { name: input.name ?? topology.name, kind: 'file', json: input.json, topology, baseDir };
  }
  const name = input.name ?? fallback;
  if (name === EMPTY_BENCH && lookup.hasBuiltin(name)) return { name, kind: 'empty', json: null, topology: null, baseDir };
  const builtin = builtinTopologyJson(name);
  if (builtin !== null && lookup.hasBuiltin(name)) return { name, kind: 'builtin', json: builtin, topology: parseTopologyJson(builtin, 'topology', call), baseDir };
  const saved = lookup.saved.get(name);
  if (saved) return { name, kind: 'saved', json: saved.json, topology: parseTopologyJson(saved.json, 'topology', call), baseDir };
  const known = [...[...DEFAULT_TOPOLOGY_NAMES, EMPTY_BENCH].filter((n) => lookup.hasBuiltin(n)), ...lookup.saved.list().map((t) => t.name)];
  throw new ApiError('bad-input', `${call}: topology: unknown topology "${name}" (known: ${known.join(', ')})`, 'topology');
}

/** Type 3 endpoint paths of a topology. */
export const endpointPaths = (t: Topology): string[] => topologyEndpoints(t).map((e) => e.path);

/** Field path of each endpoint in the file ("hostBridges[0].rootPorts[1].endpoint"), by node path. */
export function endpointFieldPaths(raw: unknown): Map<string, string> {
  const out = new Map<string, string>();
  type RawPort = { port?: number; endpoint?: unknown; switch?: { downstreamPorts?: RawPort[] } };
  const ports = (list: RawPort[] | undefined, parent: string, field: string, kind: 'rp' | 'dsp'): void => {
    (list ?? []).forEach((p, i) => {
      const path = `${parent}.${kind}${p.port ?? i}`;
      const at = `${field}[${i}]`;
      if (p.endpoint) out.set(`${path}.ep0`, `${at}.endpoint`);
      if (p.switch) ports(p.switch.downstreamPorts, `${path}.sw0`, `${at}.switch.downstreamPorts`, 'dsp');
    });
  };
  const hbs = (raw as { hostBridges?: { rootPorts?: RawPort[] }[] } | null)?.hostBridges ?? [];
  hbs.forEach((hb, i) => ports(hb.rootPorts, `hb${i}`, `hostBridges[${i}].rootPorts`, 'rp'));
  return out;
}

/** One endpoint's `backend` as a run binding: map paths resolved against `baseDir`, inline maps as JSON text. */
export function backendBinding(b: EndpointBackend, baseDir: string): HardwareBinding {
  if (b.map === undefined) return { link: b.link }; // a sysfs function: its layout comes from the link
  if (typeof b.map !== 'string') return { link: b.link, mapText: JSON.stringify(b.map) };
  if (b.map.trim().startsWith('{')) return { link: b.link, mapText: b.map };
  return { link: b.link, map: isAbsolute(b.map) ? b.map : resolve(baseDir, b.map) };
}

/** A problem with a backend's link URI or device map (null when both are usable). */
export function backendProblem(b: HardwareBinding): { what: 'link' | 'map'; message: string } | null {
  try {
    parseLinkUri(b.link);
  } catch (e) {
    return { what: 'link', message: (e as Error).message };
  }
  try {
    if (b.mapText !== undefined) loadDeviceMap(b.mapText);
    else if (b.map !== undefined) endpointDeviceMap(b.map);
  } catch (e) {
    return { what: 'map', message: (e as Error).message };
  }
  return null;
}

/**
 * Hardware bindings of every endpoint with a `backend` in the topology, validated (link URI parses, map loads);
 * a problem is 'bad-input' naming `${field}.<endpoint field path>.backend.link|map`.
 */
export function topologyBackends(src: TopologySource, field: string, call: string): Record<string, HardwareBinding> {
  if (!src.topology || src.json === null) return {};
  const out: Record<string, HardwareBinding> = {};
  let fields: Map<string, string> | null = null;
  for (const e of topologyEndpoints(src.topology)) {
    if (!e.backend) continue;
    const b = backendBinding(e.backend, src.baseDir);
    const problem = backendProblem(b);
    if (problem) {
      fields ??= endpointFieldPaths(JSON.parse(src.json));
      const at = `${field}.${fields.get(e.path) ?? e.path}.backend.${problem.what}`;
      throw new ApiError('bad-input', `${call}: ${at}: ${e.path}: ${problem.message}`, at);
    }
    out[e.path] = b;
  }
  return out;
}
