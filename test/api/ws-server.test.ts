import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ServerEvent } from '../../main/api/contract.js';
import { startServer, type RunningServer } from '../../main/server/ws-server.js';
import { tempServices } from './helpers.js';

let env: Awaited<ReturnType<typeof tempServices>>;
let server: RunningServer;
beforeAll(async () => {
  env = await tempServices();
  const staticDir = join(env.dir, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>CXL Bench</title>');
  server = await startServer({ services: env.services, host: '127.0.0.1', port: 0, staticDir });
});
afterAll(async () => {
  await server.close();
  await env.dispose();
});

const wsUrl = (token: string | null): string => `ws://127.0.0.1:${server.port}/api${token === null ? '' : `?token=${token}`}`;

/** Resolves with the HTTP status of a refused upgrade, or 101 when it opened. */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

interface Client {
  call(call: string, input?: unknown): Promise<{ id: number; ok: boolean; result?: any; error?: any }>;
  events: ServerEvent[];
  close(): void;
}

async function connect(): Promise<Client> {
  const ws = new WebSocket(wsUrl(server.token));
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  const pending = new Map<number, (m: any) => void>();
  const events: ServerEvent[] = [];
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString());
    if ('event' in m) events.push(m.event);
    else pending.get(m.id)?.(m);
  });
  let next = 1;
  return {
    events,
    call: (call, input) =>
      new Promise((resolve) => {
        const id = next++;
        pending.set(id, resolve);
        ws.send(JSON.stringify({ id, call, input }));
      }),
    close: () => ws.close(),
  };
}

describe('WebSocket binding', () => {
  it('binds 127.0.0.1 and prints a URL carrying a random token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token).toMatch(/^[0-9a-f]{48}$/);
  });

  it('refuses a missing or wrong token with 401 and accepts the right one', async () => {
    expect(await upgradeStatus(wsUrl(null))).toBe(401);
    expect(await upgradeStatus(wsUrl('0'.repeat(48)))).toBe(401);
    expect(await upgradeStatus(wsUrl(server.token))).toBe(101);
  });

  it('serves the renderer at / and nothing outside its directory', async () => {
    const page = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('CXL Bench');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const escape = await fetch(`http://127.0.0.1:${server.port}/..%2f..%2fbench.sqlite`);
    expect(escape.status).toBe(404);
  });

  it('round-trips a call, and returns validation errors with the request id', async () => {
    const c = await connect();
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
    const a = await connect();
    const b = await connect();
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
