// A test client of the served bench (main/server): signs in the way a browser does (opens the one-time link,
// keeps the session cookie it is given), then talks the JSON protocol over a WebSocket.
import { request } from 'node:http';
import WebSocket from 'ws';
import type { ServerEvent } from '../../main/api/contract.js';

/** Open a launch link without following the redirect: the `Cookie` header value it sets (throws if refused). */
export async function signIn(launchUrl: string): Promise<string> {
  const res = await fetch(launchUrl, { redirect: 'manual' });
  const set = res.headers.get('set-cookie');
  if (res.status !== 303 || !set) throw new Error(`sign-in refused: ${res.status} ${await res.text()}`);
  return set.split(';')[0];
}

/** A GET with exactly these headers (fetch cannot set Host), and the raw target as given (`//[` stays as it is). */
export function rawGet(port: number, target: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: target, headers, setHost: !('host' in headers) }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** HTTP status of a WebSocket upgrade (101 when it opened), and the body of a refusal. */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve({ status: 101, body: '' });
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('error', () => resolve({ status: -1, body: '' }));
  });
}

export interface Reply {
  id: number;
  ok: boolean;
  result?: any;
  error?: any;
}

export interface TestClient {
  ws: WebSocket;
  call(call: string, input?: unknown): Promise<Reply>;
  events: ServerEvent[];
  close(): void;
}

export async function connectClient(wsUrl: string, cookie: string): Promise<TestClient> {
  const ws = new WebSocket(wsUrl, { headers: { cookie } });
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  const pending = new Map<number, (m: Reply) => void>();
  const events: ServerEvent[] = [];
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString());
    if ('event' in m) events.push(m.event);
    else pending.get(m.id)?.(m);
  });
  ws.on('close', () => {
    for (const [id, p] of pending) p({ id, ok: false, error: { code: 'disconnected', message: 'closed' } });
    pending.clear();
  });
  let next = 1;
  return {
    ws,
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
