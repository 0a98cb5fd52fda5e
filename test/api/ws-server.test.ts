import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../main/server/ws-server.js';
import { tempServices } from './helpers.js';
import { connectClient, rawGet, signIn, upgradeStatus } from './ws-test-client.js';

let env: Awaited<ReturnType<typeof tempServices>>;
let server: RunningServer;
let staticDir: string;
beforeAll(async () => {
  env = await tempServices();
  staticDir = join(env.dir, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>CXL Bench</title>');
  writeFileSync(join(env.dir, 'secret.txt'), 'outside the root');
  symlinkSync(join(env.dir, 'secret.txt'), join(staticDir, 'leak.txt'));
  symlinkSync(env.dir, join(staticDir, 'up'));
  server = await startServer({ services: env.services, host: '127.0.0.1', port: 0, staticDir });
});
afterAll(async () => {
  await server.close();
  await env.dispose();
});

const base = (): string => `http://127.0.0.1:${server.port}`;

describe('WebSocket binding: who gets in', () => {
  it('binds 127.0.0.1 and prints a one-time launch link; the API URL carries no credential', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[0-9a-f]{48}$`));
    expect(server.wsUrl).toBe(`ws://127.0.0.1:${server.port}/api`);
  });

  it('the launch link sets an HttpOnly SameSite=Strict cookie named for the port and redirects to the page without the code', async () => {
    const link = server.newLaunchUrl();
    const res = await fetch(link, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(new RegExp(`^cxl_bench_${server.port}=[0-9a-f]{48}; HttpOnly; SameSite=Strict; Path=/$`));
    expect(cookie).not.toContain(new URL(link).searchParams.get('token')!);
    const page = await fetch(`${base()}/`, { headers: { cookie: cookie.split(';')[0] } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('CXL Bench');
  });

  it('a launch link works once: opening it again is refused and says why', async () => {
    const link = server.newLaunchUrl();
    await signIn(link);
    const again = await fetch(link, { redirect: 'manual' });
    expect(again.status).toBe(401);
    expect(await again.text()).toContain('already used');
    const unknown = await fetch(`${base()}/?token=${'0'.repeat(48)}`, { redirect: 'manual' });
    expect(unknown.status).toBe(401);
    expect(await unknown.text()).toContain('not signed in');
  });

  it('the upgrade needs the session cookie; a token in the URL (fresh or spent) is not a credential', async () => {
    const link = server.newLaunchUrl();
    const code = new URL(link).searchParams.get('token')!;
    expect((await upgradeStatus(`${server.wsUrl}?token=${code}`)).status).toBe(401);
    const cookie = await signIn(link);
    expect((await upgradeStatus(`${server.wsUrl}?token=${code}`)).status).toBe(401);
    const refused = await upgradeStatus(server.wsUrl, { cookie: `cxl_bench_${server.port}=${'0'.repeat(48)}` });
    expect(refused).toEqual({ status: 401, body: expect.stringContaining('not signed in') });
    expect((await upgradeStatus(server.wsUrl, { cookie })).status).toBe(101);
  });

  it('/api/session says whether the page has a session (the UI tells "not authorised" from "server down")', async () => {
    expect((await fetch(`${base()}/api/session`)).status).toBe(401);
    expect((await fetch(`${base()}/api/session`, { headers: { cookie: server.newSessionCookie() } })).status).toBe(204);
  });

  it('refuses a foreign Origin or Host with 403, even with a valid session (DNS rebinding, cross-site pages)', async () => {
    const cookie = server.newSessionCookie();
    expect((await upgradeStatus(server.wsUrl, { cookie, origin: 'http://evil.example' })).status).toBe(403);
    expect((await upgradeStatus(server.wsUrl, { cookie, origin: `http://localhost:${server.port}` })).status).toBe(403);
    expect((await upgradeStatus(server.wsUrl, { cookie, host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await upgradeStatus(server.wsUrl, { cookie, origin: `http://127.0.0.1:${server.port}` })).status).toBe(101);
    expect((await upgradeStatus(server.wsUrl.replace('127.0.0.1', 'localhost'), { cookie, origin: `http://localhost:${server.port}` })).status).toBe(101);
    const page = await rawGet(server.port, '/', { cookie, host: 'rebound.example' });
    expect(page).toMatchObject({ status: 403, body: 'host not allowed: rebound.example\n' });
    expect((await rawGet(server.port, '/', { cookie, host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('serves nothing without a session, and nothing outside its directory (traversal or symbolic links)', async () => {
    expect((await fetch(`${base()}/`)).status).toBe(401);
    expect((await fetch(`${base()}/index.html`)).status).toBe(401);
    const cookie = server.newSessionCookie();
    const get = (path: string) => fetch(`${base()}${path}`, { headers: { cookie } });
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await get('/..%2f..%2fbench.sqlite')).status).toBe(404);
    expect((await get('/leak.txt')).status).toBe(404);
    expect((await get('/up/secret.txt')).status).toBe(404);
  });

  it('refuses to bind a non-loopback address unless told to', async () => {
    await expect(startServer({ services: env.services, host: '0.0.0.0', port: 0, staticDir })).rejects.toThrow(/not a loopback address.*--allow-remote/);
    const remote = await startServer({ services: env.services, host: '0.0.0.0', port: 0, staticDir, allowRemote: true });
    try {
      expect(remote.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
      const cookie = await signIn(remote.url);
      // Any IP literal of this machine is accepted as Host on a wildcard bind, never a DNS name.
      expect((await upgradeStatus(remote.wsUrl, { cookie, host: `192.0.2.7:${remote.port}` })).status).toBe(101);
      expect((await upgradeStatus(remote.wsUrl, { cookie, host: `bench.example:${remote.port}` })).status).toBe(403);
    } finally {
      await remote.close();
    }
  });
});

describe('WebSocket binding: calls and events', () => {
  it('round-trips a call, and returns validation errors with the request id', async () => {
    const c = await connectClient(server.wsUrl, await signIn(server.newLaunchUrl()));
    const created = await c.call('sessions.create', { name: 'over ws' });
    expect(created).toMatchObject({ id: 1, ok: true, result: { name: 'over ws' } });
    const list = await c.call('sessions.list', {});
    expect(list.result.map((s: { name: string }) => s.name)).toContain('over ws');
    const bad = await c.call('sessions.rename', { id: created.result.id, name: '' });
    expect(bad).toMatchObject({ id: 3, ok: false, error: { code: 'bad-input', field: 'name' } });
    expect(bad.error.message).toBe('sessions.rename: name: must be 1-200 characters');
    c.close();
  });

  it('pushes run events to every connected client', async () => {
    const a = await connectClient(server.wsUrl, server.newSessionCookie());
    const b = await connectClient(server.wsUrl, server.newSessionCookie());
    const sess = await a.call('sessions.create', { name: 'events' });
    const run = await a.call('runs.start', { sessionId: sess.result.id, sequence: 'test-pass', topology: 'none' });
    expect(run.ok).toBe(true);
    await env.services.runs.wait(run.result.id);
    await new Promise((r) => setTimeout(r, 50));
    for (const c of [a, b]) {
      expect(c.events.some((e) => e.type === 'run.progress' && e.runId === run.result.id)).toBe(true);
      expect(c.events.find((e) => e.type === 'run.finished' && e.runId === run.result.id)).toMatchObject({ status: 'passed' });
      expect(c.events.some((e) => e.type === 'log')).toBe(true);
    }
    const page = await b.call('trace.page', { runId: run.result.id, offset: 0, limit: 5 });
    expect(page.result.rows).toHaveLength(5);
    a.close();
    b.close();
  });
});

describe('--allow-host', () => {
  it('accepts a listed name with the bench\'s port or exactly as given (a TLS proxy\'s Host), and its Origin', async () => {
    const proxied = await startServer({ services: env.services, host: '127.0.0.1', port: 0, staticDir, allowHosts: ['bench.lab.example'] });
    try {
      const cookie = proxied.newSessionCookie();
      for (const host of ['bench.lab.example', `bench.lab.example:${proxied.port}`])
        expect((await upgradeStatus(proxied.wsUrl, { cookie, host, origin: `https://${host}` })).status).toBe(101);
      expect((await upgradeStatus(proxied.wsUrl, { cookie, host: 'other.lab.example' })).status).toBe(403);
      expect((await upgradeStatus(proxied.wsUrl, { cookie, host: 'bench.lab.example', origin: 'https://other.lab.example' })).status).toBe(403);
    } finally {
      await proxied.close();
    }
  });
});
