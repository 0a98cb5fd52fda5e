// The WebSocket binding of the API table (DESIGN.md 6) for the browser-served UI and end-to-end tests:
// HTTP serves the built renderer, `/api?token=TOKEN` upgrades to a WebSocket (wrong or missing token: 401 and
// the connection is closed), each request frame goes through the same `callApi` as Electron IPC, and every
// ServerEvent is pushed to every client. Binds 127.0.0.1 unless told otherwise.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { toErrorBody } from '../api/api-error.js';
import { callApi } from '../api/table.js';
import type { Services } from '../services/services.js';
import { parseRequest, type WsPush, type WsResponse } from './protocol.js';
import { serveStatic } from './static-files.js';

export interface ServerOptions {
  services: Services;
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** Default: 24 random bytes, hex. */
  token?: string;
  /** The built renderer (default out/renderer). */
  staticDir?: string;
}

export interface RunningServer {
  /** Page URL with the token, e.g. http://127.0.0.1:5173/?token=... */
  url: string;
  /** WebSocket URL with the token. */
  wsUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Largest request frame accepted (bytes). */
export const MAX_FRAME_BYTES = 128 << 20;

export const newToken = (): string => randomBytes(24).toString('hex');

function tokenMatches(expected: string, given: string | null): boolean {
  if (given === null) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const { services } = opts;
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? newToken();
  const staticDir = opts.staticDir ?? 'out/renderer';

  const http: Server = createServer((req, res) => serveStatic(staticDir, req, res));
  // Large enough for trace.import of a whole QEMU boot log (calls-trace.ts accepts 64 MiB of text).
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/api') return refuse(socket, '404 Not Found');
    if (!tokenMatches(token, url.searchParams.get('token'))) return refuse(socket, '401 Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const send = (ws: WebSocket, msg: WsResponse | WsPush): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };

  wss.on('connection', (ws: WebSocket) => {
    ws.on('message', async (data, isBinary) => {
      if (isBinary) return send(ws, { id: -1, ok: false, error: { code: 'bad-input', message: 'frames must be JSON text' } });
      const req = parseRequest(data.toString());
      if ('error' in req) return send(ws, { id: req.id, ok: false, error: req.error });
      try {
        send(ws, { id: req.id, ok: true, result: await callApi(services, req.call, req.input) });
      } catch (e) {
        send(ws, { id: req.id, ok: false, error: toErrorBody(e) });
      }
    });
  });

  const unsubscribe = services.hub.subscribe((event) => {
    const frame = JSON.stringify({ event } satisfies WsPush);
    for (const ws of wss.clients) if (ws.readyState === ws.OPEN) ws.send(frame);
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port ?? 0, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const origin = `${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url: `http://${origin}/?token=${token}`,
    wsUrl: `ws://${origin}/api?token=${token}`,
    port,
    token,
    async close() {
      unsubscribe();
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}
