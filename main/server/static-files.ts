// Serving the built renderer over HTTP for the browser-served UI: files under one root only (no traversal, and
// no symbolic link leading out of it: the real path must stay under the root's real path), index.html for '/'
// and for unknown paths without an extension (client-side routes), a restrictive CSP. Who may fetch at all is
// ws-server.ts's business (a session cookie).

import { createReadStream, existsSync, realpathSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
};

const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** Resolve a URL path to a file under `root`, or null when outside it or absent. */
export function staticPath(root: string, urlPath: string): string | null {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath.split('?')[0]);
  } catch {
    return null;
  }
  if (rel.includes('\0')) return null;
  const base = resolve(root);
  const full = resolve(join(base, normalize(rel)));
  if (full !== base && !full.startsWith(base + sep)) return null;
  if (existsSync(full) && statSync(full).isFile()) return insideReal(base, full);
  // Client-side routes fall back to the app shell.
  if (!extname(full)) {
    const index = join(base, 'index.html');
    if (existsSync(index)) return insideReal(base, index);
  }
  return null;
}

/** `file` when its real path (symbolic links resolved) is under the real path of `root`, else null. */
function insideReal(root: string, file: string): string | null {
  try {
    const realRoot = realpathSync(root);
    const real = realpathSync(file);
    return real.startsWith(realRoot + sep) ? real : null;
  } catch {
    return null;
  }
}

export function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const file = staticPath(root, req.url ?? '/');
  if (!file) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
    return;
  }
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
    'referrer-policy': 'no-referrer',
  });
  if (req.method === 'HEAD') res.end();
  else
    createReadStream(file)
      // A file that vanished or became unreadable after the check ends the response, never the server.
      .on('error', () => res.destroy())
      .pipe(res);
}
