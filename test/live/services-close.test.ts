// Closing the services (app quit, CLI exit) closes every live bench: console runs end 'passed' with their
// events written, so nothing poked before quitting is lost.

import { join } from 'node:path';
import { expect, it } from 'vitest';
import { callApi } from '../../main/api/table.js';
import { openStore } from '../../main/store/store.js';
import { tempServices } from '../api/helpers.js';

it('services.close finishes open console runs as passed with their events stored', async () => {
  const env = await tempServices();
  const s = env.services;
  const a = s.store.sessions.create('a').id;
  const b = s.store.sessions.create('b').id;
  const benchA = await callApi(s, 'live.open', { sessionId: a });
  const benchB = await callApi(s, 'live.open', { sessionId: b, topology: 'interleave2' });
  await callApi(s, 'mailbox.send', { sessionId: b, node: 'hb0.rp1.ep0', opcode: 'getHealthInfo' });
  const eventsB = s.store.runs.get(benchB.runId)!.eventCount;
  await s.close();
  const store = openStore(join(env.dir, 'bench.sqlite'));
  try {
    for (const id of [benchA.runId, benchB.runId]) expect(store.runs.get(id)!.status).toBe('passed');
    expect(store.runs.get(benchB.runId)!.eventCount).toBe(eventsB);
  } finally {
    store.close();
    await env.dispose().catch(() => undefined);
  }
});
