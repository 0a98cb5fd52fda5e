// Issue 16, "no limit on requests in flight and no backpressure": a 10 k trace.page flood ran the server out of
// memory, and a client that stopped reading drove it to 3.2 GB and kept it busy after it left. Bounded now:
// requests in flight and queued per connection, unsent bytes per connection (main/server/api-connection.ts).
// The server must answer a health call during the flood and while a reader is stalled, and stay under
// RSS_BOUND_MIB (its peak resident set, /proc/PID/status VmHWM).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SEQUENCES } from '../api/helpers.js';
import type { TestClient } from '../api/ws-test-client.js';
import { frame, rawUpgrade, upgradeHeaders } from './raw-websocket.js';
import { startServedBench, type ServedBench } from './served-bench.js';

/** Peak RSS the server may reach in this file: start-up under tsx is ~150 MiB; the flood peaks near 180 MiB with
 * the limits and ~335 MiB without them, the stalled reader at 2.6 GB without them. */
export const RSS_BOUND_MIB = 256;
const CONNECTIONS = 20;
const REQUESTS_PER_CONNECTION = 500;

/** CPU seconds the process has used (user + system), from /proc/PID/stat. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

describe.skipIf(process.platform !== 'linux')('flood and stalled reader', () => {
  let bench: ServedBench;
  let runId: number;
  let events: number;
  beforeAll(async () => {
    bench = await startServedBench({ env: { CXL_BENCH_SEQUENCE_MODULES: TEST_SEQUENCES } });
    const c = await bench.client();
    const s = await c.call('sessions.create', { name: 'flood' });
    const r = await c.call('runs.start', { sessionId: s.result.id, sequence: 'test-pass', topology: 'none' });
    runId = r.result.id;
    for (;;) {
      const run = (await c.call('runs.get', { id: runId })).result;
      if (run.status !== 'running') {
        events = run.eventCount;
        break;
      }
      await new Promise((res) => setTimeout(res, 50));
    }
    c.close();
  });
  afterAll(async () => {
    expect(await bench.stop()).toBe(0);
  });

  it(`${CONNECTIONS * REQUESTS_PER_CONNECTION} trace.page requests over ${CONNECTIONS} connections: all answered, health answered during the flood, RSS bounded`, async () => {
    expect(events).toBeGreaterThan(5000);
    const clients: TestClient[] = await Promise.all(Array.from({ length: CONNECTIONS }, () => bench.client()));
    let answered = 0;
    let healthDuringFlood = 0;
    let flooding = true;
    const health = (async () => {
      while (flooding) {
        await bench.health();
        if (flooding) healthDuringFlood++;
      }
    })();
    const all = clients.flatMap((c, k) =>
      Array.from({ length: REQUESTS_PER_CONNECTION }, (_, i) =>
        c.call('trace.page', { runId, offset: (k * 97 + i * 13) % (events - 200), limit: 200 }).then((r) => {
          answered++;
          return r;
        }),
      ),
    );
    const replies = await Promise.all(all);
    flooding = false;
    await health;
    expect(answered).toBe(CONNECTIONS * REQUESTS_PER_CONNECTION);
    expect(replies.every((r) => r.ok && r.result.rows.length === 200)).toBe(true);
    expect(healthDuringFlood).toBeGreaterThan(0);
    for (const c of clients) c.close();
    expect(bench.memory().peakMib).toBeLessThan(RSS_BOUND_MIB);
  });

  it('a client that stops reading is paused, not buffered; health is answered meanwhile; its work stops when it leaves', async () => {
    const c = await rawUpgrade(bench.port, '/api', upgradeHeaders(bench.port, bench.cookie));
    c.socket.pause(); // never read an answer
    // 2,000 pages of 5,000 rows (about 1 MB of JSON each): 2 GB if the server buffered every answer.
    const burst: Buffer[] = [];
    for (let i = 0; i < 2000; i++) burst.push(frame({ opcode: 1, payload: Buffer.from(JSON.stringify({ id: i, call: 'trace.page', input: { runId, offset: 0, limit: 5000 } })) }));
    c.socket.write(Buffer.concat(burst));
    for (let i = 0; i < 5; i++) expect(await bench.health()).toBe('cxl-bench');
    expect(bench.memory().peakMib).toBeLessThan(RSS_BOUND_MIB);
    c.socket.resetAndDestroy();
    expect(await bench.health()).toBe('cxl-bench');
    // Whatever it had queued is dropped: the server goes idle (CPU time, not wall time, is measured).
    const before = cpuSeconds(bench.pid);
    await new Promise((r) => setTimeout(r, 2000));
    expect(cpuSeconds(bench.pid) - before).toBeLessThan(0.5);
    expect(bench.memory().peakMib).toBeLessThan(RSS_BOUND_MIB);
  });
});
