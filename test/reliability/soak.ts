// `npm run soak [-- --minutes N] [-- --rss-mib M]`: the long, randomised version of test/reliability (issue 16),
// for running by hand — not part of `npm test`. Against a `cxl-bench serve` child it repeats, until the time is
// up: random WebSocket frames (any FIN/RSV/opcode/mask/length, random payloads), random calls with random
// inputs (every API name, nested and odd values), a flood of trace.page over 20 connections with clients
// dropping mid-flood, and a stalled reader. After every round the server must answer app.info and stay under
// the RSS bound. Prints one JSON line per round and a summary; exit 1 on the first failure.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { API_NAMES } from '../../main/api/table.js';
import { TEST_SEQUENCES } from '../api/helpers.js';
import { frame, rawUpgrade, upgradeHeaders } from './raw-websocket.js';
import { startServedBench, type ServedBench } from './served-bench.js';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, 'rss-mib': { type: 'string', default: '512' }, seed: { type: 'string' } } });
const deadline = Date.now() + Number(values.minutes) * 60_000;
const RSS_BOUND = Number(values['rss-mib']);
let seed = Number(values.seed ?? Date.now() % 2 ** 31);
const firstSeed = seed;
/** xorshift: a soak run is repeatable from its seed. */
const rand = (): number => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const int = (n: number): number => Math.floor(rand() * n);

function randomValue(depth = 0): unknown {
  const kinds = depth > 6 ? ['n', 's', 'b', 'z'] : ['n', 's', 'b', 'z', 'a', 'o', 'o'];
  switch (pick(kinds)) {
    case 'n':
      return pick([0, -1, 1, 2 ** 53, -(2 ** 31), 1.5, 1e308, int(1000)]);
    case 's':
      return pick(['', 'x'.repeat(int(300)), '\u0000\u001b[2J', '../../etc/passwd', 'hb0.rp0.ep0', '€'.repeat(int(50)), '0x' + int(1e9).toString(16)]);
    case 'b':
      return rand() < 0.5;
    case 'z':
      return null;
    case 'a':
      return Array.from({ length: int(5) }, () => randomValue(depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: int(5) }, () => [pick(['id', 'runId', 'sessionId', 'name', 'offset', 'limit', 'json', 'text', 'format', 'filter', '__proto__', 'constructor']), randomValue(depth + 1)]));
  }
}

async function hostileFrames(b: ServedBench, n: number): Promise<number> {
  let closed = 0;
  for (let i = 0; i < n; i++) {
    const c = await rawUpgrade(b.port, '/api', upgradeHeaders(b.port, b.cookie));
    const payload = randomBytes(int(200));
    c.send(frame({ fin: rand() < 0.7, rsv: int(8) * (rand() < 0.3 ? 1 : 0), opcode: int(16), payload, mask: rand() < 0.8, ...(rand() < 0.1 ? { declaredLength: int(2 ** 31) } : {}) }));
    if (rand() < 0.3) c.send(randomBytes(int(64)));
    const code = await Promise.race([c.closed, new Promise<'open'>((r) => setTimeout(() => r('open'), 200))]);
    if (code !== 'open') closed++;
    c.socket.destroy();
  }
  return closed;
}

async function fuzzCalls(b: ServedBench, n: number): Promise<Record<string, number>> {
  const c = await b.client();
  const codes: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const r = await c.call(pick(API_NAMES), randomValue());
    const k = r.ok ? 'ok' : r.error.code;
    codes[k] = (codes[k] ?? 0) + 1;
    if (k === 'internal') process.stderr.write(`internal error (a bug, not a crash): ${r.error.message.slice(0, 200)}\n`);
  }
  c.close();
  return codes;
}

async function flood(b: ServedBench, runId: number, events: number): Promise<number> {
  const clients = await Promise.all(Array.from({ length: 20 }, () => b.client()));
  let answered = 0;
  await Promise.all(
    clients.map(async (c, k) => {
      const dropAt = k % 5 === 0 ? int(500) : -1;
      const calls = Array.from({ length: 1000 }, (_, i) => {
        if (i === dropAt) c.ws.terminate();
        return c.call('trace.page', { runId, offset: int(Math.max(1, events - 100)), limit: 100 }).then((r) => r.ok && answered++);
      });
      await Promise.all(calls);
      c.close();
    }),
  );
  return answered;
}

async function stalledReader(b: ServedBench, runId: number): Promise<void> {
  const c = await rawUpgrade(b.port, '/api', upgradeHeaders(b.port, b.cookie));
  c.socket.pause();
  for (let i = 0; i < 500; i++) c.send(frame({ opcode: 1, payload: Buffer.from(JSON.stringify({ id: i, call: 'trace.page', input: { runId, offset: 0, limit: 5000 } })) }));
  await b.health();
  c.socket.resetAndDestroy();
}

const bench = await startServedBench({ env: { CXL_BENCH_SEQUENCE_MODULES: TEST_SEQUENCES } });
let failure: string | null = null;
let rounds = 0;
try {
  const c = await bench.client();
  const s = await c.call('sessions.create', { name: 'soak' });
  const run = (await c.call('runs.start', { sessionId: s.result.id, sequence: 'test-pass', topology: 'none' })).result;
  let events = 0;
  while (!events) {
    await new Promise((r) => setTimeout(r, 100));
    const r = (await c.call('runs.get', { id: run.id })).result;
    if (r.status !== 'running') events = r.eventCount;
  }
  c.close();
  while (Date.now() < deadline && !failure) {
    rounds++;
    const t = Date.now();
    const closed = await hostileFrames(bench, 50);
    const codes = await fuzzCalls(bench, 500);
    const answered = await flood(bench, run.id, events);
    await stalledReader(bench, run.id);
    if ((await bench.health()) !== 'cxl-bench') failure = 'health call not answered';
    const mem = bench.memory();
    if (bench.exited()) failure = `serve exited: ${bench.stderr().slice(-500)}`;
    else if (mem.peakMib > RSS_BOUND) failure = `peak RSS ${mem.peakMib.toFixed(0)} MiB over the ${RSS_BOUND} MiB bound`;
    process.stdout.write(JSON.stringify({ round: rounds, seconds: (Date.now() - t) / 1000, hostileClosed: closed, calls: codes, floodAnswered: answered, rssMib: Math.round(mem.rssMib), peakMib: Math.round(mem.peakMib) }) + '\n');
  }
} catch (e) {
  failure = `soak stopped: ${(e as Error).message}`;
} finally {
  const code = await bench.stop();
  if (!failure && code !== 0) failure = `serve exited ${code} on SIGTERM`;
}
process.stdout.write(JSON.stringify({ rounds, seed: firstSeed, ok: failure === null, failure }) + '\n');
process.exitCode = failure ? 1 : 0;
