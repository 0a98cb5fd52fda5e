// The core calls: the application, sessions, runs, trace paging and logs.

import { KERNEL_IDS } from '../../host/kernels/types.js';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { z } from 'zod';
import { exportDir } from '../compare/trace-export.js';
import { exportSession, importSessions } from '../store/session-transfer.js';
import type { Services } from '../services/services.js';
import { ApiError } from './api-error.js';
import type { CallTable } from './call-def.js';
import { id, limit, name, none, offset, slug, traceFilter } from './fields.js';
import { resolveRunTargets, trackRunLinks } from '../links/run-targets.js';
import { endpointPaths, resolveTopologySource, topologyBackends } from '../runs/topology-source.js';

const notFound = (what: string, n: number, field = 'id'): ApiError => new ApiError('not-found', `${what} ${n} does not exist`, field);

function runOr404(s: Services, runId: number, field = 'runId') {
  const run = s.store.runs.get(runId);
  if (!run) throw notFound('run', runId, field);
  return run;
}

/** A hardware binding for one endpoint (runs.start / runs.replay targets): link URI, or { link, map }. */
export const hardwareTarget = z.union([z.string().min(1).max(300), z.strictObject({ link: z.string().min(1).max(300), map: z.string().max(1000).optional() })]);

export type CoreCallName =
  | 'app.info'
  | 'sessions.create'
  | 'sessions.list'
  | 'sessions.rename'
  | 'sessions.delete'
  | 'sessions.export'
  | 'sessions.import'
  | 'runs.start'
  | 'runs.list'
  | 'runs.get'
  | 'runs.cancel'
  | 'trace.page'
  | 'logs.page';

export const CORE_CALLS: CallTable<CoreCallName> = {
  'app.info': {
    input: none,
    handler: (s) => ({
      name: s.app.name,
      version: s.app.version,
      dbPath: s.store.path,
      shell: s.shell,
      node: globalThis.process?.versions?.node ?? '',
      sequences: s.sequences.list(),
      topologies: s.topologies(),
    }),
  },

  'sessions.create': {
    input: z.strictObject({ name }),
    handler: (s, i) => s.store.sessions.create(i.name),
  },

  'sessions.list': {
    input: none,
    handler: (s) => s.store.sessions.list(),
  },

  'sessions.rename': {
    input: z.strictObject({ id, name }),
    handler: (s, i) => {
      const renamed = s.store.sessions.rename(i.id, i.name);
      if (!renamed) throw notFound('session', i.id);
      return renamed;
    },
  },

  'sessions.delete': {
    input: z.strictObject({ id }),
    handler: (s, i) => {
      if (!s.store.sessions.get(i.id)) throw notFound('session', i.id);
      const busy = s.runs.activeRuns().filter((r) => s.store.runs.get(r)?.sessionId === i.id);
      if (busy.length) throw new ApiError('conflict', `session ${i.id} has a run in progress (run ${busy[0]})`, 'id');
      for (const r of s.store.runs.list(i.id)) s.store.traces.forget(r.id);
      s.store.sessions.delete(i.id);
      return { deleted: true as const };
    },
  },

  'sessions.export': {
    input: z.strictObject({ id }),
    handler: (s, i) => {
      if (!s.store.sessions.get(i.id)) throw notFound('session', i.id);
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const path = join(exportDir(s.store.path), `session-${i.id}-${stamp}.cxlbench.sqlite`);
      mkdirSync(dirname(path), { recursive: true });
      return exportSession(s.store, i.id, path);
    },
  },

  'sessions.import': {
    input: z.strictObject({ path: z.string({ error: 'must be a file path' }).min(1, { error: 'must be a file path' }).max(4096, { error: 'must be a file path' }) }),
    handler: (s, i) => {
      // A client names a path on the server's disk: only files in the bench's data directory (the database's
      // directory: exports/, transfers/) are read, so a browser cannot make the server open arbitrary files.
      // Files elsewhere arrive by upload (transfer.begin/append/finish) or through the CLI (`session import`).
      const dataDir = resolve(dirname(s.store.path));
      const path = resolve(dataDir, i.path);
      if (path !== dataDir && !path.startsWith(dataDir + sep))
        throw new ApiError('bad-input', `sessions.import: path: only files in the bench's data directory ${dataDir} are read; upload the file instead (Sessions → Import…) or use \`cxl-bench session import FILE\``, 'path');
      i = { path };
      if (!existsSync(i.path)) throw new ApiError('bad-input', `sessions.import: path: no file at ${i.path}`, 'path');
      let ids: number[];
      try {
        ids = importSessions(s.store, i.path);
      } catch (e) {
        throw new ApiError('bad-input', `sessions.import: path: not a bench file (${(e as Error).message})`, 'path');
      }
      return ids.map((n) => s.store.sessions.get(n)!);
    },
  },

  'runs.start': {
    input: z.strictObject({
      sessionId: id,
      sequence: slug.optional(),
      topology: slug.optional(),
      topologyJson: z.string({ error: 'must be topology file text' }).max(1 << 20, { error: 'must be at most 1 MiB' }).optional(),
      topologyDir: z.string({ error: 'must be a directory path' }).min(1, { error: 'must be a directory path' }).max(4096, { error: 'must be a directory path' }).optional(),
      targets: z.record(z.string().min(1).max(200), hardwareTarget).optional(),
      kernel: z.enum(KERNEL_IDS, { error: `must be one of ${KERNEL_IDS.join(', ')}` }).optional(),
    }),
    handler: (s, i) => {
      if (!s.store.sessions.get(i.sessionId)) throw notFound('session', i.sessionId, 'sessionId');
      const sequence = i.sequence ?? s.sequences.defaultId();
      if (!sequence) throw new ApiError('conflict', 'no sequences are registered', 'sequence');
      if (!s.sequences.get(sequence))
        throw new ApiError('bad-input', `runs.start: sequence: unknown sequence "${sequence}" (known: ${s.sequences.ids().join(', ')})`, 'sequence');
      if (s.sequences.needsSource(sequence))
        throw new ApiError('bad-input', `runs.start: sequence: "${sequence}" needs a source run (use runs.replay)`, 'sequence');
      // A built-in or saved name, or a topology file's text (topology-source.ts); the run records its exact JSON.
      const src = resolveTopologySource(
        { hasBuiltin: (n) => s.hasTopology(n), saved: s.store.topologies },
        { ...(i.topology !== undefined ? { name: i.topology } : {}), ...(i.topologyJson !== undefined ? { json: i.topologyJson } : {}), ...(i.topologyDir ? { dir: i.topologyDir } : {}) },
        'runs.start',
        s.defaultTopology(),
      );
      const topology = src.name;
      // Endpoints with a `backend` in the file become hardware targets; explicit targets override them node by node.
      const fromFile = topologyBackends(src, src.kind === 'file' ? 'topologyJson' : 'topology', 'runs.start');
      const explicit = src.kind === 'saved' || src.kind === 'file' ? resolveRunTargets(topology, i.targets, endpointPaths(src.topology!)) : resolveRunTargets(topology, i.targets);
      const merged = { ...fromFile, ...explicit };
      const hardware = Object.keys(merged).length ? merged : undefined;
      if (s.store.path === ':memory:' || s.store.path === '') throw new ApiError('conflict', 'runs need a database file, not an in-memory store');
      const run = s.runs.start({ sessionId: i.sessionId, sequence, topology, ...(hardware ? { hardware } : {}), ...(src.json !== null ? { topologyJson: src.json } : {}), ...(i.kernel ? { kernel: i.kernel } : {}) });
      if (hardware) trackRunLinks(s, run.id, hardware);
      return run;
    },
  },

  'runs.list': {
    input: z.strictObject({ sessionId: id.optional() }),
    handler: (s, i) => s.store.runs.list(i.sessionId),
  },

  'runs.get': {
    input: z.strictObject({ id }),
    handler: (s, i) => ({ ...runOr404(s, i.id, 'id'), steps: s.store.steps.list(i.id), topologyJson: s.store.runs.topologyJson(i.id) }),
  },

  'runs.cancel': {
    input: z.strictObject({ id }),
    handler: (s, i) => {
      const run = runOr404(s, i.id, 'id');
      if (!s.qemu.cancel(run.id)) s.runs.cancel(run.id); // a QEMU run is not a worker run
      return s.store.runs.get(run.id)!;
    },
  },

  'trace.page': {
    input: z.strictObject({ runId: id, offset, limit: limit(5000), filter: traceFilter.optional() }),
    handler: (s, i) => {
      const run = runOr404(s, i.runId);
      return s.store.traces.page(run.id, run.eventCount, i.offset, i.limit, i.filter);
    },
  },

  'logs.page': {
    input: z.strictObject({ runId: id.optional(), offset, limit: limit(1000) }),
    handler: (s, i) => s.store.logs.page(i.runId, i.offset, i.limit),
  },
};
