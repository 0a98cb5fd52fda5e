import { describe, expect, test } from 'vitest';
import { ApiError } from '../../renderer/src/api/api-error.js';
import { apiUrlFromLocation, createWsClient, type ConnectionState } from '../../renderer/src/api/ws-client.js';
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
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(text: string) {
    this.sent.push(text);
  }
  close() {
    this.readyState = 3;
    this.onclose?.();
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  reply(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
}

function client() {
  FakeSocket.all = [];
  const states: ConnectionState[] = [];
  const api = createWsClient({
    url: 'ws://127.0.0.1:1/api?token=t',
    onState: (s) => states.push(s),
    WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
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

  test('the API URL comes from the page: same host, token from ?token=', () => {
    expect(apiUrlFromLocation({ protocol: 'http:', host: '127.0.0.1:5000', search: '?token=a%2Bb' })).toBe(
      'ws://127.0.0.1:5000/api?token=a%2Bb',
    );
    expect(apiUrlFromLocation({ protocol: 'https:', host: 'h', search: '' })).toBe('wss://h/api?token=');
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
