// Issue 16, item 2: an unauthenticated upgrade to `//[` used to kill `serve` (the target was parsed outside
// try/catch, before the token check). Every malformed target or handshake gets an HTTP error of its own and
// the server keeps answering; the same targets as plain GETs too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawGet } from '../api/ws-test-client.js';
import { rawUpgrade, upgradeHeaders } from './raw-websocket.js';
import { startServedBench, type ServedBench } from './served-bench.js';

/** Targets a client can put on the request line; Node's parser refuses some before the server sees them. */
const TARGETS: [string, RegExp][] = [
  ['//[', /^HTTP\/1\.1 (400|404) /],
  ['//[::1/api', /^HTTP\/1\.1 (400|404) /],
  ['//evil.example/api', /^HTTP\/1\.1 404 /],
  ['/%', /^HTTP\/1\.1 404 /],
  ['/api%', /^HTTP\/1\.1 404 /],
  ['/api?%zz=%', /^HTTP\/1\.1 101 /],
  ['*', /^HTTP\/1\.1 400 /],
  ['http://evil.example/api', /^HTTP\/1\.1 400 /],
  ['api', /^HTTP\/1\.1 400 /],
  ['/' + 'a'.repeat(8000), /^HTTP\/1\.1 404 /],
  ['/api/../api', /^HTTP\/1\.1 (101|404) /],
];

describe('malformed upgrade targets and handshakes get an HTTP error, never a crash', () => {
  let bench: ServedBench;
  beforeAll(async () => {
    bench = await startServedBench();
  });
  afterAll(async () => {
    expect(await bench.stop()).toBe(0);
  });

  it.each(TARGETS.map(([t, s]) => [t.length > 40 ? `${t.slice(0, 12)}… (${t.length} characters)` : t, t, s] as const))('upgrade to %s', async (_name, target, status) => {
    for (const cookie of ['', bench.cookie]) {
      const c = await rawUpgrade(bench.port, target, upgradeHeaders(bench.port, cookie)).catch((e: Error) => ({ status: e.message, socket: null }));
      // Without a session only the refusal differs; a target that would upgrade is a 401 there.
      expect(c.status).toMatch(cookie ? status : new RegExp(`${status.source}|^HTTP/1\\.1 401 `));
      c.socket?.destroy();
    }
    expect((await rawGet(bench.port, target, { cookie: bench.cookie }).catch(() => ({ status: 0 }))).status).not.toBe(0);
    expect(await bench.health()).toBe('cxl-bench');
  });

  it('handshakes with a missing Host, a bad key or version, or a foreign Origin are refused', async () => {
    const base = upgradeHeaders(bench.port, bench.cookie);
    const { Host: _host, ...noHost } = base;
    const cases: [Record<string, string>, RegExp][] = [
      [noHost, /^HTTP\/1\.1 40[03] /],
      [{ ...base, 'Sec-WebSocket-Key': 'short' }, /^HTTP\/1\.1 400 /],
      [{ ...base, 'Sec-WebSocket-Version': '7' }, /^HTTP\/1\.1 400 /],
      [{ ...base, Origin: 'http://evil.example' }, /^HTTP\/1\.1 403 /],
      [{ ...base, Origin: 'null' }, /^HTTP\/1\.1 403 /],
      [{ ...base, Host: 'evil.example' }, /^HTTP\/1\.1 403 /],
    ];
    for (const [headers, status] of cases) {
      const c = await rawUpgrade(bench.port, '/api', headers);
      expect(c.status).toMatch(status);
      c.socket.destroy();
    }
    expect(await bench.health()).toBe('cxl-bench');
  });

  it('a client that resets in the middle of its handshake costs nothing', async () => {
    for (let i = 0; i < 20; i++) {
      const c = await rawUpgrade(bench.port, '/api', upgradeHeaders(bench.port, bench.cookie));
      c.socket.resetAndDestroy();
    }
    expect(await bench.health()).toBe('cxl-bench');
    expect(bench.exited()).toBe(false);
  });
});
