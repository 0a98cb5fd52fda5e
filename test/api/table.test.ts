import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../main/api/api-error.js';
import type { ApiName } from '../../main/api/contract.js';
import { API, API_NAMES, callApi } from '../../main/api/table.js';
import type { Services } from '../../main/services/services.js';
import { tableCounts, tempServices } from './helpers.js';

let env: Awaited<ReturnType<typeof tempServices>>;
let s: Services;
beforeAll(async () => {
  env = await tempServices();
  s = env.services;
});
afterAll(() => env.dispose());

async function rejection(name: string, input: unknown): Promise<ApiError> {
  try {
    await callApi(s, name, input);
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error(`${name} accepted ${JSON.stringify(input)}`);
}

describe('API table', () => {
  it('lists the core and compare calls, each with an input schema and a handler', () => {
    const mine: ApiName[] = [
      'app.info', 'sessions.create', 'sessions.list', 'sessions.rename', 'sessions.delete',
      'runs.start', 'runs.list', 'runs.get', 'runs.cancel', 'trace.page', 'logs.page',
      'compare.run', 'compare.hunks', 'compare.get', 'compare.list', 'sessions.export', 'sessions.import',
    ];
    expect(API_NAMES).toEqual(expect.arrayContaining(mine));
    for (const n of API_NAMES) {
      expect(typeof API[n].input.safeParse, n).toBe('function');
      expect(typeof API[n].handler, n).toBe('function');
    }
  });

  it('creates, lists, renames and deletes sessions', async () => {
    const a = await callApi(s, 'sessions.create', { name: '  board rev B  ' });
    expect(a.name).toBe('board rev B');
    expect(a.runCount).toBe(0);
    const renamed = await callApi(s, 'sessions.rename', { id: a.id, name: 'rev C' });
    expect(renamed).toMatchObject({ id: a.id, name: 'rev C' });
    expect((await callApi(s, 'sessions.list', {})).map((x) => x.name)).toContain('rev C');
    expect(await callApi(s, 'sessions.delete', { id: a.id })).toEqual({ deleted: true });
    expect((await callApi(s, 'sessions.list', {})).map((x) => x.id)).not.toContain(a.id);
  });

  it('sessions.export writes a bench file under the export directory that sessions.import reads back', async () => {
    const a = await callApi(s, 'sessions.create', { name: 'to move' });
    const ex = await callApi(s, 'sessions.export', { id: a.id });
    expect(ex.path.startsWith(join(env.dir, 'exports'))).toBe(true);
    expect(ex).toMatchObject({ runs: 0, events: 0 });
    const imported = await callApi(s, 'sessions.import', { path: ex.path });
    expect(imported.map((x) => x.name)).toEqual(['to move']);
    expect(imported[0].id).not.toBe(a.id);
    const before = tableCounts(s);
    const bad = await rejection('sessions.import', { path: join(env.dir, 'nothing-here.sqlite') });
    expect([bad.code, bad.field]).toEqual(['bad-input', 'path']);
    expect(tableCounts(s)).toEqual(before);
  });

  it('app.info reports the database, the registered sequences and the topologies', async () => {
    const info = await callApi(s, 'app.info', {});
    expect(info.dbPath).toBe(s.store.path);
    expect(info.sequences.map((q) => q.id)).toEqual(expect.arrayContaining(['test-pass', 'test-fail']));
    expect(info.topologies).toContain('none');
  });

  it.each([
    ['sessions.rename', { id: 1, name: '' }, 'name', 'sessions.rename: name: must be 1-200 characters'],
    ['sessions.rename', { id: 1, name: 'x'.repeat(201) }, 'name', 'sessions.rename: name: must be 1-200 characters'],
    ['sessions.create', { name: 42 }, 'name', 'sessions.create: name: must be 1-200 characters'],
    ['sessions.create', { name: 'ok', extra: 1 }, 'extra', 'sessions.create: extra: unknown field'],
    ['sessions.delete', { id: -3 }, 'id', 'sessions.delete: id: must be a positive integer'],
    ['runs.start', { sessionId: 1.5 }, 'sessionId', 'runs.start: sessionId: must be a positive integer'],
    ['trace.page', { runId: 1, offset: 0, limit: 0 }, 'limit', 'trace.page: limit: must be an integer 1-5000'],
    ['trace.page', { runId: 1, offset: 0, limit: 10, filter: { op: 'X' } }, 'filter.op', 'trace.page: filter.op:'],
    ['logs.page', { offset: 'a', limit: 5 }, 'offset', 'logs.page: offset: must be an integer >= 0'],
  ] as const)('%s rejects %j naming the field %s and writes nothing', async (name, input, field, message) => {
    const before = tableCounts(s);
    const e = await rejection(name, input);
    expect(e.code).toBe('bad-input');
    expect(e.field).toBe(field);
    if (message.startsWith(name)) expect(e.message.startsWith(message)).toBe(true);
    expect(e.message).toContain(`${name}: ${field}:`);
    expect(tableCounts(s)).toEqual(before);
  });

  it('an unknown call is not-found, a non-object input is bad-input', async () => {
    expect((await rejection('sessions.explode', {})).code).toBe('not-found');
    const e = await rejection('sessions.create', 'name');
    expect(e.code).toBe('bad-input');
  });

  it('missing ids are not-found and write nothing', async () => {
    const before = tableCounts(s);
    expect((await rejection('sessions.rename', { id: 9999, name: 'x' })).code).toBe('not-found');
    expect((await rejection('runs.get', { id: 9999 })).code).toBe('not-found');
    const e = await rejection('runs.start', { sessionId: 9999, sequence: 'test-pass', topology: 'none' });
    expect([e.code, e.field]).toEqual(['not-found', 'sessionId']);
    expect(tableCounts(s)).toEqual(before);
  });

  it('runs.start with an unknown sequence or topology names the field and creates no run', async () => {
    const sess = await callApi(s, 'sessions.create', { name: 'runs' });
    const before = tableCounts(s);
    const a = await rejection('runs.start', { sessionId: sess.id, sequence: 'nope', topology: 'none' });
    expect([a.code, a.field]).toEqual(['bad-input', 'sequence']);
    expect(a.message).toMatch(/^runs\.start: sequence: unknown sequence "nope"/);
    const b = await rejection('runs.start', { sessionId: sess.id, sequence: 'test-pass', topology: 'mars' });
    expect([b.code, b.field]).toEqual(['bad-input', 'topology']);
    expect(tableCounts(s)).toEqual(before);
  });
});
