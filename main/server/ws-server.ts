// The WebSocket binding of the API table (DESIGN.md 6) for the browser-served UI and end-to-end tests:
// HTTP serves the built renderer, `/api` upgrades to a WebSocket, each request frame goes through the same
// `callApi` as Electron IPC, and every ServerEvent is pushed to every client. Binds 127.0.0.1 unless told
// otherwise (another address only with `allowRemote`).
// Who gets in: session-auth.ts (one-time launch link -> HttpOnly session cookie) and host-policy.ts (Host and
// Origin allow-list) for every page, file and upgrade. What one client may cost: api-connection.ts (requests in
// flight, queued frames, unsent bytes) and the caps below; a protocol error closes that client only.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { toErrorBody } from '../api/api-error.js';
import { callApi } from '../api/table.js';
import type { Services } from '../services/services.js';
import { ApiConnection, DEFAULT_CONNECTION_LIMITS, pushFrame, type ConnectionLimits } from './api-connection.js';
import { allowedHosts, hostAllowed, isLoopbackHost, originAllowed, urlHost } from './host-policy.js';
import { LAUNCH_PARAM, parseTarget, SessionAuth } from './session-auth.js';
import { serveStatic } from './static-files.js';

export interface ServerLimits extends ConnectionLimits {
  /** WebSocket clients at once; one more gets 503. */
  maxConnections: number;
}

export interface ServerOptions {
  services: Services;
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** Bind an address other than loopback (serve --allow-remote); refused without it. */
  allowRemote?: boolean;
  /** Host names accepted besides the loopback names and the bound address (a reverse proxy's, this machine's). */
  allowHosts?: readonly string[];
  /** The first launch link's one-time code (default: 24 random bytes, hex). */
  launchCode?: string;
  /** The built renderer (default out/renderer). */
  staticDir?: string;
  limits?: Partial<ServerLimits>;
  /** A line about a misbehaving client (protocol error, dropped slow reader). Default: dropped. */
  log?: (line: string) => void;
}

export interface RunningServer {
  /** The first one-time launch link, e.g. http://127.0.0.1:5173/?token=CODE. */
  url: string;
  /** Another one-time launch link (each works once: a second browser, a test's new page). */
  newLaunchUrl(): string;
  /** WebSocket URL of the API; it needs a session cookie, never a token in the URL. */
  wsUrl: string;
  port: number;
  /** A `Cookie` header value with a new session, for clients in this process (tests, scripts). */
  newSessionCookie(): string;
  /** WebSocket clients connected now. */
  readonly connections: number;
  close(): Promise<void>;
}

/** Largest request frame accepted (bytes); a larger one closes that client with 1009 (RFC 6455 7.4.1). */
export const MAX_FRAME_BYTES = 128 << 20;

export const DEFAULT_SERVER_LIMITS: Readonly<ServerLimits> = { ...DEFAULT_CONNECTION_LIMITS, maxConnections: 64 };

export class RemoteBindRefused extends Error {}

const PLAIN = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };

function refuseUpgrade(socket: Duplex, status: string, why: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(why)}\r\n\r\n${why}`);
  socket.destroy();
}

const NOT_SIGNED_IN = 'not signed in: open the link `cxl-bench serve` printed (each link works once)\n';
const LINK_USED = 'this link was already used: each link printed by `cxl-bench serve` works once (the browser that opened it keeps its session)\n';

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const { services } = opts;
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && !opts.allowRemote)
    throw new RemoteBindRefused(`refusing to serve on ${host}: not a loopback address (allow it explicitly, e.g. serve --allow-remote)`);
  const staticDir = opts.staticDir ?? 'out/renderer';
  const limits: ServerLimits = { ...DEFAULT_SERVER_LIMITS, ...opts.limits };
  const log = opts.log ?? (() => {});
  const connections = new Set<ApiConnection>();

  // Set once the port is known (the cookie is named for it, and Host checks need it).
  let port = 0;
  let auth!: SessionAuth;
  let hosts!: Set<string>;
  const wildcard = host === '0.0.0.0' || host === '::';
  const hostOk = (req: IncomingMessage): boolean => hostAllowed(req.headers.host, hosts, port, wildcard && !!opts.allowRemote);

  const page = (req: IncomingMessage, res: ServerResponse): void => {
    const url = parseTarget(req.url);
    if (!url) return void res.writeHead(400, PLAIN).end('bad request target\n');
    if (!hostOk(req)) return void res.writeHead(403, PLAIN).end(`host not allowed: ${req.headers.host ?? '(none)'}\n`);
    if (!originAllowed(req.headers.origin, req.headers.host)) return void res.writeHead(403, PLAIN).end('cross-origin request refused\n');
    // The renderer asks this after a refused WebSocket to tell "not signed in" from "server down".
    if (url.pathname === '/api/session') return void res.writeHead(auth.authorised(req) ? 204 : 401, PLAIN).end();
    const code = url.searchParams.get(LAUNCH_PARAM);
    if (code !== null) {
      url.searchParams.delete(LAUNCH_PARAM);
      const clean = url.pathname + url.search;
      if (auth.authorised(req)) return void res.writeHead(303, { ...PLAIN, location: clean }).end();
      const r = auth.exchange(code);
      if (!r.ok) return void res.writeHead(401, PLAIN).end(r.why === 'used' ? LINK_USED : NOT_SIGNED_IN);
      return void res.writeHead(303, { ...PLAIN, location: clean, 'set-cookie': auth.setCookie(r.session) }).end();
    }
    if (!auth.authorised(req)) return void res.writeHead(401, PLAIN).end(NOT_SIGNED_IN);
    serveStatic(staticDir, req, res);
  };

  const http: Server = createServer(page);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const dispatch = async (req: { id: number; call: string; input?: unknown }) => {
    try {
      return { id: req.id, ok: true as const, result: await callApi(services, req.call, req.input) };
    } catch (e) {
      return { id: req.id, ok: false as const, error: toErrorBody(e) };
    }
  };

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A client that resets mid-handshake must not take the server with it.
    socket.on('error', () => {});
    const url = parseTarget(req.url);
    if (!url) return refuseUpgrade(socket, '400 Bad Request', 'bad request target\n');
    if (!hostOk(req)) return refuseUpgrade(socket, '403 Forbidden', 'host not allowed\n');
    if (!originAllowed(req.headers.origin, req.headers.host)) return refuseUpgrade(socket, '403 Forbidden', 'cross-origin request refused\n');
    if (url.pathname !== '/api') return refuseUpgrade(socket, '404 Not Found', 'not found\n');
    if (!auth.authorised(req)) return refuseUpgrade(socket, '401 Unauthorized', NOT_SIGNED_IN);
    if (connections.size >= limits.maxConnections) return refuseUpgrade(socket, '503 Service Unavailable', `too many clients (${limits.maxConnections})\n`);
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const peer = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
      const conn = new ApiConnection(ws, dispatch, limits, (what) => log(`client ${peer}: ${what}`));
      connections.add(conn);
      ws.on('close', () => connections.delete(conn));
    });
  });

  const unsubscribe = services.hub.subscribe((event) => {
    if (connections.size === 0) return;
    const frame = pushFrame(event);
    for (const c of connections) c.push(frame);
  });

  await new Promise<void>((resolve, reject) => {
    // A taken port is named with what to do about it (the default is fixed: bench-defaults.ts DEFAULT_PORT).
    const refused = (e: NodeJS.ErrnoException): void =>
      reject(e.code === 'EADDRINUSE' ? new Error(`port ${opts.port} on ${host} is in use (another bench?); choose another with --port N, or --port 0 for any free port`) : e);
    http.once('error', refused);
    http.listen(opts.port ?? 0, host, () => {
      http.off('error', refused);
      // Before any request can be handled (this callback and the assignments run in one turn).
      port = (http.address() as AddressInfo).port;
      auth = new SessionAuth(port);
      hosts = allowedHosts(host, port, opts.allowHosts);
      resolve();
    });
  });
  // The printed link names an address a browser can reach: loopback for a wildcard bind.
  const origin = `${wildcard ? '127.0.0.1' : urlHost(host)}:${port}`;
  const launchUrl = (code?: string): string => `http://${origin}/?${LAUNCH_PARAM}=${auth.newLaunchCode(code)}`;

  return {
    url: launchUrl(opts.launchCode),
    newLaunchUrl: () => launchUrl(),
    wsUrl: `ws://${origin}/api`,
    port,
    newSessionCookie: () => auth.cookieHeader(auth.newSession()),
    get connections() {
      return connections.size;
    },
    async close() {
      unsubscribe();
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}
