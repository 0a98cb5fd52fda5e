// BenchApi over the WebSocket binding (browser-served UI and end-to-end tests). Protocol (main/server):
//   client -> server  { id, call, input }
//   server -> client  { id, ok: true, result } | { id, ok: false, error: ApiErrorBody } | { event: ServerEvent }
// Calls made while the socket is (re)connecting are queued; a dropped socket fails the calls in flight with
// code "disconnected" and reconnects with backoff, so a restarted server is picked up without a reload.
// Auth is a session cookie the server set when the page was opened from its one-time link (main/server/
// session-auth.ts): the WebSocket URL carries no credential. A socket refused before it opened is followed by
// one `authorised()` probe (GET /api/session: 401 = no session) so the UI can say "not authorised" rather than
// "disconnected"; calls made in that state fail at once with code "unauthorised". A request larger than the
// server's frame cap fails alone with "bad-input" instead of being sent (the server would close with 1009).
import type { ApiErrorBody, ApiInput, ApiName, ApiOutput, BenchApi, ServerEvent } from '../../../main/api/contract.js';
import { ApiError } from './api-error.js';

export type ConnectionState = 'connecting' | 'open' | 'closed' | 'unauthorised';

/** The server's cap on one request frame (main/server/ws-server.ts MAX_FRAME_BYTES; a test pins them equal). */
export const MAX_REQUEST_BYTES = 128 << 20;

/** RFC 6455 7.4.1: the server closed because a message was larger than it accepts. */
const CLOSE_TOO_BIG = 1009;

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
  /** After a refused handshake: does this page still have a session? Default: sessionProbe(url). */
  authorised?: () => Promise<boolean>;
  /** Default MAX_REQUEST_BYTES. */
  maxRequestBytes?: number;
}

/** GET /api/session on the API's own host: 204 signed in, 401 not; a network failure counts as signed in (server down). */
export function sessionProbe(wsUrl: string): () => Promise<boolean> {
  const u = new URL(wsUrl);
  const href = `${u.protocol === 'wss:' ? 'https:' : 'http:'}//${u.host}/api/session`;
  return async () => {
    try {
      return (await fetch(href, { credentials: 'same-origin', cache: 'no-store' })).status !== 401;
    } catch {
      return true;
    }
  };
}

/** UTF-8 length of `s` without encoding it (a lone surrogate counts 3, as U+FFFD). */
export function utf8Bytes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4; // a surrogate pair
      i++;
    } else n += 3;
  }
  return n;
}

export function createWsClient(opts: WsClientOptions): BenchApi & { close(): void } {
  const WS = opts.WebSocketImpl ?? WebSocket;
  /** Calls sent on the open socket, waiting for their answer. */
  const pending = new Map<number, Pending>();
  /** Calls made while no socket was open: sent when one opens. */
  const queue: (Pending & { id: number; text: string })[] = [];
  const listeners = new Set<(ev: ServerEvent) => void>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let retryMs = 250;
  let closed = false;
  let state: ConnectionState = 'connecting';
  const authorised = opts.authorised ?? sessionProbe(opts.url);
  const maxBytes = opts.maxRequestBytes ?? MAX_REQUEST_BYTES;

  const setState = (s: ConnectionState) => {
    state = s;
    opts.onState?.(s);
  };

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
    let opened = false;
    ws.onopen = () => {
      opened = true;
      retryMs = 250;
      setState('open');
      for (const q of queue.splice(0)) {
        pending.set(q.id, q);
        ws.send(q.text);
      }
    };
    ws.onmessage = (ev) => onMessage(ev.data);
    ws.onclose = (ev?: { code?: number }) => {
      socket = null;
      const lost =
        ev?.code === CLOSE_TOO_BIG
          ? () => new ApiError({ code: 'bad-input', message: `the server closed the connection: a request was larger than it accepts (${maxBytes >> 20} MiB per request)` })
          : () => new ApiError({ code: 'disconnected', message: 'connection to the bench server was lost' });
      for (const [id, p] of pending) {
        pending.delete(id);
        p.reject(lost());
      }
      const retry = () => {
        if (closed) return;
        setTimeout(connect, retryMs);
        retryMs = Math.min(retryMs * 2, 4000);
      };
      if (opened || closed) {
        setState('closed');
        return retry();
      }
      // Refused before it opened: the server is down, or this page has no session (the browser hides the 401).
      void authorised().then((ok) => {
        if (ok) setState('closed');
        else {
          setState('unauthorised');
          for (const q of queue.splice(0)) q.reject(notAuthorised());
        }
        retry();
      });
    };
  };
  connect();

  return {
    call<N extends ApiName>(name: N, input: ApiInput<N>): Promise<ApiOutput<N>> {
      const id = nextId++;
      const text = JSON.stringify({ id, call: name, input });
      return new Promise<ApiOutput<N>>((resolve, reject) => {
        // Only a long text can be over the cap (at most 3 UTF-8 bytes per UTF-16 unit): count those alone.
        if (text.length * 3 > maxBytes && utf8Bytes(text) > maxBytes) {
          const mib = (utf8Bytes(text) / 2 ** 20).toFixed(1);
          return reject(new ApiError({ code: 'bad-input', message: `${name}: the request is ${mib} MiB; the server accepts at most ${maxBytes >> 20} MiB per request` }));
        }
        if (state === 'unauthorised') return reject(notAuthorised());
        const call = { resolve: resolve as (v: unknown) => void, reject };
        if (socket && socket.readyState === WS.OPEN) {
          pending.set(id, call);
          socket.send(text);
        } else queue.push({ ...call, id, text });
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      socket?.close();
      for (const q of queue.splice(0)) q.reject(new ApiError({ code: 'disconnected', message: 'the API client was closed' }));
    },
  };
}

const notAuthorised = () =>
  new ApiError({ code: 'unauthorised', message: 'not signed in to the bench server: open a new link from `cxl-bench serve` (each link works once)' });

/** ws://host/api for the page this UI was served from (the session cookie authenticates; no token in the URL). */
export function apiUrlFromLocation(loc: { protocol: string; host: string }): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/api`;
}
