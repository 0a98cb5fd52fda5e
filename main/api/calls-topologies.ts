// API calls of saved topologies (issue 7: topology files as first-class inputs; DESIGN.md 6 topologies table):
// save a topology file's JSON under a name (validated first, every error naming its field, nothing saved on
// error), list built-ins and saved ones, get one's JSON, tree and per-endpoint backends, delete. Spread into
// table.ts; runs.start and live.open take the saved names (main/runs/topology-source.ts).

import { z } from 'zod';
import { loadDeviceMap } from '../../hil/device-map.js';
import { parseLinkUri } from '../../hil/link.js';
import type { Topology } from '../../emulator/topology/types.js';
import { describeTopology, topologyView } from '../live/topology-catalog.js';
import { topologyEndpoints } from '../runs/emulated-endpoints.js';
import { builtinTopologyJson, EMPTY_BENCH, endpointFieldPaths, parseTopologyJson, SAVED_NAME_RE } from '../runs/topology-source.js';
import type { SavedTopology } from '../store/topologies-repo.js';
import type { Services } from '../services/services.js';
import { ApiError } from './api-error.js';
import type { CallTable } from './call-def.js';
import type { TopologyBackend, TopologyDetail, TopologyEntry } from './contract.js';
import { none } from './fields.js';

const topologyName = z.string({ error: 'must be a topology name' }).min(1, { error: 'must be a topology name' }).max(100, { error: 'must be a topology name' });
const json = z.string({ error: 'must be topology file text' }).max(1 << 20, { error: 'must be at most 1 MiB' });

const backendsOf = (t: Topology): Record<string, TopologyBackend> =>
  Object.fromEntries(topologyEndpoints(t).flatMap((e) => (e.backend ? [[e.path, { link: e.backend.link, ...(e.backend.map !== undefined ? { map: e.backend.map as TopologyBackend['map'] } : {}) }]] : [])));

function entry(name: string, kind: TopologyEntry['kind'], t: Topology, saved?: SavedTopology): TopologyEntry {
  return {
    name,
    kind,
    description: describeTopology(t),
    hardware: Object.keys(backendsOf(t)).length,
    createdAt: saved?.createdAt ?? null,
    updatedAt: saved?.updatedAt ?? null,
  };
}

const isBuiltin = (s: Services, name: string): boolean => s.hasTopology(name);

/**
 * Backends a saved file carries must be usable wherever it runs: each link URI parses and an inline map loads
 * (a map file path is checked when a run uses it, relative to where it runs).
 */
function checkBackends(raw: string, t: Topology): void {
  let fields: Map<string, string> | null = null;
  const fail = (node: string, what: 'link' | 'map', message: string): never => {
    fields ??= endpointFieldPaths(JSON.parse(raw));
    const at = `json.${fields.get(node) ?? node}.backend.${what}`;
    throw new ApiError('bad-input', `topologies.save: ${at}: ${message}`, at);
  };
  for (const e of topologyEndpoints(t)) {
    if (!e.backend) continue;
    try {
      parseLinkUri(e.backend.link);
    } catch (err) {
      fail(e.path, 'link', (err as Error).message);
    }
    const m = e.backend.map;
    if (typeof m !== 'string' || m.trim().startsWith('{')) {
      try {
        loadDeviceMap(typeof m === 'string' ? m : JSON.stringify(m));
      } catch (err) {
        fail(e.path, 'map', (err as Error).message);
      }
    }
  }
}

function detail(s: Services, name: string): TopologyDetail {
  const builtin = isBuiltin(s, name) ? builtinTopologyJson(name) : null;
  const saved = builtin === null ? s.store.topologies.get(name) : undefined;
  const text = builtin ?? saved?.json;
  if (text === undefined) {
    const hint = name === EMPTY_BENCH ? ' (the empty bench has no topology file)' : '';
    throw new ApiError('not-found', `unknown topology "${name}"${hint}`, 'name');
  }
  const t = parseTopologyJson(text, 'name', 'topologies.get');
  const view = topologyView(t);
  return { ...entry(name, builtin !== null ? 'builtin' : 'saved', t, saved), json: text, tree: view.tree, nodes: view.nodes, backends: backendsOf(t) };
}

export const TOPOLOGY_CALLS: CallTable<'topologies.save' | 'topologies.list' | 'topologies.get' | 'topologies.delete'> = {
  'topologies.save': {
    input: z.strictObject({ name: topologyName, json }),
    handler: (s, i) => {
      if (!SAVED_NAME_RE.test(i.name))
        throw new ApiError('bad-input', 'topologies.save: name: must start with a letter or digit and hold only letters, digits, ".", "_" and "-" (at most 100)', 'name');
      if (isBuiltin(s, i.name)) throw new ApiError('bad-input', `topologies.save: name: "${i.name}" is a built-in topology; choose another name`, 'name');
      const t = parseTopologyJson(i.json, 'json', 'topologies.save');
      checkBackends(i.json, t);
      const saved = s.store.topologies.save(i.name, i.json);
      s.log('info', `topology ${i.name} saved (${describeTopology(t)})`);
      return entry(i.name, 'saved', t, saved);
    },
  },

  'topologies.list': {
    input: none,
    handler: (s) => {
      const builtins = s.topologies().flatMap((n) => {
        const text = builtinTopologyJson(n);
        return text === null ? [] : [entry(n, 'builtin', parseTopologyJson(text, 'name', 'topologies.list'))];
      });
      const saved = s.store.topologies.list().flatMap((x) => {
        try {
          return [entry(x.name, 'saved', parseTopologyJson(x.json, 'name', 'topologies.list'), x)];
        } catch {
          return []; // saved by an older build whose rules were looser: get names the problem
        }
      });
      return [...builtins, ...saved];
    },
  },

  'topologies.get': {
    input: z.strictObject({ name: topologyName }),
    handler: (s, i) => detail(s, i.name),
  },

  'topologies.delete': {
    input: z.strictObject({ name: topologyName }),
    handler: (s, i) => {
      if (isBuiltin(s, i.name)) throw new ApiError('bad-input', `topologies.delete: name: "${i.name}" is a built-in topology`, 'name');
      if (!s.store.topologies.delete(i.name)) throw new ApiError('not-found', `topology "${i.name}" is not saved`, 'name');
      s.log('info', `topology ${i.name} deleted`);
      return { deleted: true as const };
    },
  },
};
