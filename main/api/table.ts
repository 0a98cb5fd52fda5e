// The API table (DESIGN.md 6): every call the renderer (or a script) can make, with its input schema, output
// type (contract.ts) and handler. Both bindings — Electron IPC and WebSocket — and the tests go through
// `callApi`, which validates before any handler runs, so a bad payload writes nothing.

import { z } from 'zod';
import type { Services } from '../services/services.js';
import { ApiError, toErrorBody } from './api-error.js';
import type { ApiInput, ApiName, ApiOutput, TraceFilter } from './contract.js';
import { inputError } from './input-error.js';

export interface CallDef<N extends ApiName> {
  input: z.ZodType<ApiInput<N>>;
  handler(s: Services, input: ApiInput<N>): ApiOutput<N> | Promise<ApiOutput<N>>;
}

export type ApiTable = { [N in ApiName]: CallDef<N> };

// Field schemas, each with the message a user can act on.
const id = z.int({ error: 'must be a positive integer' }).positive({ error: 'must be a positive integer' });
const offset = z.int({ error: 'must be an integer >= 0' }).min(0, { error: 'must be an integer >= 0' });
const limit = (max: number) =>
  z.int({ error: `must be an integer 1-${max}` }).min(1, { error: `must be an integer 1-${max}` }).max(max, { error: `must be an integer 1-${max}` });
const name = z
  .string({ error: 'must be 1-200 characters' })
  .trim()
  .min(1, { error: 'must be 1-200 characters' })
  .max(200, { error: 'must be 1-200 characters' });
const slug = z.string({ error: 'must be a name' }).min(1, { error: 'must be a name' }).max(100, { error: 'must be a name' });
const none = z.strictObject({}) as unknown as z.ZodType<Record<string, never>>;
const traceFilter: z.ZodType<TraceFilter> = z.strictObject({
  node: z.string().max(200).optional(),
  space: z.enum(['cfg', 'mmio', 'mem', '']).optional(),
  op: z.enum(['R', 'W']).optional(),
  status: z.string().max(50).optional(),
  text: z.string().max(200).optional(),
});

const notFound = (what: string, id: number): ApiError => new ApiError('not-found', `${what} ${id} does not exist`, 'id');

function runOr404(s: Services, runId: number, field = 'runId') {
  const run = s.store.runs.get(runId);
  if (!run) throw new ApiError('not-found', `run ${runId} does not exist`, field);
  return run;
}

export const API: ApiTable = {
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
    handler: (s, i) => s.store.sessions.rename(i.id, i.name) ?? (() => { throw notFound('session', i.id); })(),
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

  'runs.start': {
    input: z.strictObject({ sessionId: id, sequence: slug.optional(), topology: slug.optional() }),
    handler: (s, i) => {
      if (!s.store.sessions.get(i.sessionId)) throw new ApiError('not-found', `session ${i.sessionId} does not exist`, 'sessionId');
      const sequence = i.sequence ?? s.sequences.defaultId();
      if (!sequence) throw new ApiError('conflict', 'no sequences are registered', 'sequence');
      if (!s.sequences.get(sequence))
        throw new ApiError('bad-input', `runs.start: sequence: unknown sequence "${sequence}" (known: ${s.sequences.ids().join(', ')})`, 'sequence');
      const topology = i.topology ?? s.defaultTopology();
      if (!s.hasTopology(topology))
        throw new ApiError('bad-input', `runs.start: topology: unknown topology "${topology}" (known: ${s.topologies().join(', ')})`, 'topology');
      if (s.store.path === ':memory:' || s.store.path === '') throw new ApiError('conflict', 'runs need a database file, not an in-memory store');
      return s.runs.start({ sessionId: i.sessionId, sequence, topology });
    },
  },

  'runs.list': {
    input: z.strictObject({ sessionId: id.optional() }),
    handler: (s, i) => s.store.runs.list(i.sessionId),
  },

  'runs.get': {
    input: z.strictObject({ id }),
    handler: (s, i) => ({ ...runOr404(s, i.id, 'id'), steps: s.store.steps.list(i.id) }),
  },

  'runs.cancel': {
    input: z.strictObject({ id }),
    handler: (s, i) => {
      const run = runOr404(s, i.id, 'id');
      s.runs.cancel(run.id);
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

export const API_NAMES = Object.keys(API) as ApiName[];

export const isApiName = (n: unknown): n is ApiName => typeof n === 'string' && Object.hasOwn(API, n);

/**
 * Validate `rawInput` against the call's schema and run its handler. Throws ApiError: 'not-found' for an
 * unknown call, 'bad-input' naming the field, or the handler's own; anything else becomes 'internal'.
 */
export async function callApi<N extends ApiName>(services: Services, name: N, rawInput: unknown): Promise<ApiOutput<N>>;
export async function callApi(services: Services, name: string, rawInput: unknown): Promise<unknown>;
export async function callApi(services: Services, name: string, rawInput: unknown): Promise<unknown> {
  if (!isApiName(name)) throw new ApiError('not-found', `unknown call "${String(name)}"`);
  const def = API[name] as CallDef<ApiName>;
  const parsed = def.input.safeParse(rawInput ?? {});
  if (!parsed.success) throw inputError(name, parsed.error);
  try {
    return await def.handler(services, parsed.data as never);
  } catch (e) {
    if (e instanceof ApiError) throw e;
    const body = toErrorBody(e);
    throw new ApiError('internal', `${name}: ${body.message}`);
  }
}
