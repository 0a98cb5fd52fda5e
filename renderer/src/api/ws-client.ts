// BenchApi over the WebSocket binding (browser-served UI and end-to-end tests). Protocol (main/server):
//   client -> server  { id, call, input }
//   server -> client  { id, ok: true, result } | { id, ok: false, error: ApiErrorBody } | { event: ServerEvent }
// Calls made while the socket is (re)connecting are queued; a dropped socket fails the calls in flight with
// code "disconnected" and reconnects with backoff, so a restarted server is picked up without a reload.
import type { ApiErrorBody, ApiInput, ApiName, ApiOutput, BenchApi, ServerEvent } from '../../../main/api/contract.js';
import { ApiError } from './api-error.js';

export type ConnectionState = 'connecting' | 'open' | 'closed';

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

type ServerMessage =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: ApiErrorBody }
  | { event: ServerEvent };

export interface WsClientOptions {
  url: string;
  onState?: (s: ConnectionState) => void;
  /** Injected for tests; defaults to the browser's WebSocket. */
  WebSocketImpl?: typeof WebSocket;
}

export function createWsClient(opts: WsClientOptions): BenchApi & { close(): void } {
  const WS = opts.WebSocketImpl ?? WebSocket;
  const pending = new Map<number, Pending>();
  const listeners = new Set<(ev: ServerEvent) => void>();
  const queue: string[] = [];
  let nextId = 1;
  let socket: WebSocket | null = null;
  let retryMs = 250;
  let closed = false;

  const setState = (s: ConnectionState) => opts.onState?.(s);

  const onMessage = (data: unknown) => {
    if (typeof data !== 'string') return;
    let msg: ServerMessage;
    try {
      msg = JSON.parse(data) as ServerMessage;
    } catch {
      return; // not ours; the server only sends JSON
    }
    if ('event' in msg) {
      for (const l of listeners) l(msg.event);
      return;
    }
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new ApiError(msg.error));
  };

  const connect = () => {
    setState('connecting');
    const ws = new WS(opts.url);
    socket = ws;
    ws.onopen = () => {
      retryMs = 250;
      setState('open');
      for (const m of queue.splice(0)) ws.send(m);
    };
    ws.onmessage = (ev) => onMessage(ev.data);
    ws.onclose = () => {
      socket = null;
      for (const [id, p] of pending) {
        pending.delete(id);
        p.reject(new ApiError({ code: 'disconnected', message: 'connection to the bench server was lost' }));
      }
      setState('closed');
      if (!closed) {
        setTimeout(connect, retryMs);
        retryMs = Math.min(retryMs * 2, 4000);
      }
    };
  };
  connect();

  return {
    call<N extends ApiName>(name: N, input: ApiInput<N>): Promise<ApiOutput<N>> {
      const id = nextId++;
      const text = JSON.stringify({ id, call: name, input });
      return new Promise<ApiOutput<N>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        if (socket && socket.readyState === WS.OPEN) socket.send(text);
        else queue.push(text);
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      socket?.close();
    },
  };
}

/** ws://host/api?token=… for the page this UI was served from; the token comes from the page URL. */
export function apiUrlFromLocation(loc: { protocol: string; host: string; search: string }): string {
  const token = new URLSearchParams(loc.search).get('token') ?? '';
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/api?token=${encodeURIComponent(token)}`;
}
