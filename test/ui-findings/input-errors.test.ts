// Issue 15, finding 12: bad input is answered in plain words naming the field, never in validator syntax.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiError } from '../../main/api/api-error.js';
import { plainMessage } from '../../main/api/input-error.js';
import { callApi } from '../../main/api/table.js';
import type { Services } from '../../main/services/services.js';
import { tempServices } from '../api/helpers.js';

let env: Awaited<ReturnType<typeof tempServices>>;
let s: Services;
beforeAll(async () => {
  env = await tempServices();
  s = env.services;
});
afterAll(() => env.dispose());

const message = (p: Promise<unknown>) => p.then(() => '', (e: unknown) => (e as ApiError).message);

it('zod wording becomes plain words', () => {
  expect(plainMessage('Invalid option: expected one of "cfg"|"mmio"|"mem"')).toBe('must be one of cfg, mmio, mem');
  expect(plainMessage('Invalid string: must match pattern /^(0x)?[0-9a-f]{1,16}$/i')).toBe('is not in the expected form');
  expect(plainMessage('Invalid input: expected number, received string')).toBe('must be a number, not a string');
  expect(plainMessage('Too big: expected string to have <=100 characters')).toBe('must be at most 100 characters');
});

it('the calls a user reaches answer without validator syntax', async () => {
  const sessionId = (await callApi(s, 'sessions.create', { name: 'x' })).id;
  await callApi(s, 'live.open', { sessionId });
  const msgs = [
    await message(callApi(s, 'trace.page', { runId: 1, offset: 0, limit: 10, filter: { space: 'io' as never } })),
    await message(callApi(s, 'inject.poison', { sessionId, node: 'hb0.rp0.ep0', dpa: 'zz' })),
    await message(callApi(s, 'regs.write', { sessionId, node: 'hb0.rp0.ep0', region: 'cfg', offset: 4, width: 2, value: '0xnothex' })),
    await message(callApi(s, 'regs.read', { sessionId, node: 'hb0.rp0.ep0', region: 'bar9' as never })),
  ];
  for (const m of msgs) {
    expect(m).not.toBe('');
    expect(m).not.toMatch(/expected one of|must match pattern|Invalid (input|option|string)|\/\^/);
  }
  expect(msgs[0]).toMatch(/filter\.space: must be cfg, mmio or mem/);
  expect(msgs[1]).toMatch(/dpa: must be the DPA|dpa: must be/);
});
