import { describe, expect, test } from 'vitest';
import { ApiError } from '../../renderer/src/api/api-error.js';
import { MAX_FRAME_BYTES } from '../../main/server/ws-server.js';
import { apiUrlFromLocation, createWsClient, MAX_REQUEST_BYTES, utf8Bytes, type ConnectionState } from '../../renderer/src/api/ws-client.js';
import { fromPreload } from '../../renderer/src/api/bench-api.js';
import type { BenchApi, ServerEvent } from '../../main/api/contract.js';

/** A scripted stand-in for the browser WebSocket. */
class FakeSocket {
  static OPEN = 1;
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(text: string) {
    this.sent.push(text);
  }
  close(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  reply(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
}

function client(opts: { authorised?: () => Promise<boolean>; maxRequestBytes?: number } = {}) {
  FakeSocket.all = [];
  const states: ConnectionState[] = [];
  const api = createWsClient({
    url: 'ws://127.0.0.1:1/api',
    onState: (s) => states.push(s),
    WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
    authorised: opts.authorised ?? (() => Promise.resolve(true)),
    ...(opts.maxRequestBytes ? { maxRequestBytes: opts.maxRequestBytes } : {}),
  });
  return { api, states, socket: () => FakeSocket.all.at(-1)! };
}

describe('WebSocket BenchApi', () => {
  test('calls made before the socket opens are sent once it opens, and resolve by id', async () => {
    const { api, socket, states } = client();
    const a = api.call('sessions.list', {});
    const b = api.call('sessions.create', { name: 'x' });
    expect(socket().sent).toEqual([]);
    socket().open();
    const sent = socket().sent.map((t) => JSON.parse(t) as { id: number; call: string; input: unknown });
    expect(sent.map((m) => m.call)).toEqual(['sessions.list', 'sessions.create']);
    expect(sent[1]!.input).toEqual({ name: 'x' });
    socket().reply({ id: sent[1]!.id, ok: true, result: { id: 7, name: 'x', createdAt: '', runCount: 0 } });
    socket().reply({ id: sent[0]!.id, ok: true, result: [] });
    await expect(a).resolves.toEqual([]);
    await expect(b).resolves.toMatchObject({ id: 7 });
    expect(states).toEqual(['connecting', 'open']);
    api.close();
  });

  test('an error reply rejects with an ApiError carrying code and field', async () => {
    const { api, socket } = client();
    socket().open();
    const p = api.call('sessions.rename', { id: 1, name: '' });
    const { id } = JSON.parse(socket().sent[0]!) as { id: number };
    socket().reply({ id, ok: false, error: { code: 'bad-input', message: 'name: too short', field: 'name' } });
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'bad-input', field: 'name', message: 'name: too short' });
    api.close();
  });

  test('pushed events reach subscribers until they unsubscribe', () => {
    const { api, socket } = client();
    socket().open();
    const seen: ServerEvent[] = [];
    const off = api.subscribe((e) => seen.push(e));
    const ev: ServerEvent = { type: 'run.progress', runId: 1, done: 1, total: 2, phase: 'p', events: 10 };
    socket().reply({ event: ev });
    off();
    socket().reply({ event: ev });
    expect(seen).toEqual([ev]);
    api.close();
  });

  test('a dropped connection fails calls in flight with code "disconnected" and reconnects', async () => {
    const { api, socket, states } = client();
    socket().open();
    const first = socket();
    const p = api.call('sessions.list', {});
    first.close();
    await expect(p).rejects.toMatchObject({ code: 'disconnected' });
    expect(states.at(-1)).toBe('closed');
    await new Promise((r) => setTimeout(r, 300));
    expect(FakeSocket.all.length).toBe(2);
    api.close();
  });

  test('calls made while reconnecting wait for the next socket instead of failing', async () => {
    const { api, socket } = client();
    socket().open();
    socket().close();
    const p = api.call('sessions.list', {});
    await new Promise((r) => setTimeout(r, 300));
    socket().open();
    const { id } = JSON.parse(socket().sent[0]!) as { id: number };
    socket().reply({ id, ok: true, result: [] });
    await expect(p).resolves.toEqual([]);
    api.close();
  });

  test('the API URL is the page\'s host and carries no credential (the session cookie does)', () => {
    expect(apiUrlFromLocation({ protocol: 'http:', host: '127.0.0.1:5000' })).toBe('ws://127.0.0.1:5000/api');
    expect(apiUrlFromLocation({ protocol: 'https:', host: 'h' })).toBe('wss://h/api');
  });

  test('a handshake refused for want of a session says "unauthorised" and fails calls at once with that code', async () => {
    let probes = 0;
    const { api, socket, states } = client({ authorised: async () => (probes++, false) });
    const queued = api.call('sessions.list', {});
    socket().close();
    await expect(queued).rejects.toMatchObject({ code: 'unauthorised', message: expect.stringContaining('cxl-bench serve') });
    expect(states).toEqual(['connecting', 'unauthorised']);
    expect(probes).toBe(1);
    await expect(api.call('sessions.list', {})).rejects.toMatchObject({ code: 'unauthorised' });
    // A session found later (a new link opened in another tab) reconnects.
    await new Promise((r) => setTimeout(r, 300));
    socket().open();
    expect(states.at(-1)).toBe('open');
    api.close();
  });

  test('a handshake refused while the session is fine is a plain "closed" (server down)', async () => {
    const { api, socket, states } = client({ authorised: async () => true });
    socket().close();
    await new Promise((r) => setTimeout(r, 0));
    expect(states).toEqual(['connecting', 'closed']);
    api.close();
  });

  test('a request over the frame cap fails alone, named, and is not sent; the cap is the server\'s', async () => {
    expect(MAX_REQUEST_BYTES).toBe(MAX_FRAME_BYTES);
    const { api, socket } = client({ maxRequestBytes: 1000 });
    socket().open();
    // 400 characters of 3-byte UTF-8: under 1000 characters, over 1000 bytes.
    const big = api.call('trace.import', { sessionId: 1, text: '€'.repeat(400), format: 'qemu' } as never);
    await expect(big).rejects.toMatchObject({ code: 'bad-input', message: expect.stringMatching(/^trace\.import: the request is 0\.0 MiB; the server accepts at most 0 MiB/) });
    expect(socket().sent).toEqual([]);
    const small = api.call('sessions.list', {});
    expect(socket().sent).toHaveLength(1);
    socket().reply({ id: (JSON.parse(socket().sent[0]!) as { id: number }).id, ok: true, result: [] });
    await expect(small).resolves.toEqual([]);
    api.close();
  });

  test('a close with 1009 (message too big) fails the calls in flight as bad input, not "disconnected"', async () => {
    const { api, socket } = client();
    socket().open();
    const p = api.call('sessions.list', {});
    socket().close(1009);
    await expect(p).rejects.toMatchObject({ code: 'bad-input', message: expect.stringContaining('larger than it accepts') });
    api.close();
  });

  test('utf8Bytes counts like TextEncoder', () => {
    for (const s of ['', 'abc', 'é', '€', '😀', 'a😀b€é', '\ud800x', '\udc00']) expect(utf8Bytes(s)).toBe(new TextEncoder().encode(s).length);
  });
});

describe('preload BenchApi', () => {
  test('plain { code, message, field } rejections from the bridge become ApiErrors', async () => {
    const bridge: BenchApi = {
      call: () => Promise.reject({ name: 'ApiError', code: 'not-found', message: 'no session 9', field: 'id' }),
      subscribe: () => () => {},
    };
    const err = await fromPreload(bridge).call('sessions.delete', { id: 9 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'not-found', field: 'id' });
  });
});
