import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../main/api/api-error.js';
import { callApi } from '../../main/api/table.js';
import type { Services } from '../../main/services/services.js';
import { tempServices } from './helpers.js';

let env: Awaited<ReturnType<typeof tempServices>>;
let s: Services;
beforeAll(async () => {
  env = await tempServices();
  s = env.services;
});
afterAll(() => env.dispose());

describe('sequences that need a source run', () => {
  it('are not offered as startable sequences', async () => {
    const info = await callApi(s, 'app.info', {});
    expect(info.sequences.map((q) => q.id)).toContain('linux-probe');
    expect(info.sequences.map((q) => q.id)).not.toContain('replay');
  });

  it('runs.start refuses them naming the field, and starts no run', async () => {
    const sessionId = (await callApi(s, 'sessions.create', { name: 'x' })).id;
    const err = await callApi(s, 'runs.start', { sessionId, sequence: 'replay' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).field).toBe('sequence');
    expect((err as ApiError).message).toMatch(/needs a source run/);
    expect(await callApi(s, 'runs.list', { sessionId })).toEqual([]);
  });
});
