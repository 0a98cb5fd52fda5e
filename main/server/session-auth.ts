// Who may use the served bench. `serve` prints a link carrying a one-time launch code; opening it exchanges the
// code for a session cookie (HttpOnly, SameSite=Strict, named per port) and redirects to the same page without
// the code, so the code leaves the address bar and history and cannot be used again. Every page, file and the
// WebSocket upgrade then need that cookie; the API never accepts a credential in a URL.
// Codes and sessions are kept as SHA-256 digests, so a lookup's timing says nothing about a secret's prefix.

import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The query parameter of a launch link (the name README and earlier releases printed). */
export const LAUNCH_PARAM = 'token';

const digest = (secret: string): string => createHash('sha256').update(secret).digest('hex');
const secret = (): string => randomBytes(24).toString('hex');

export type Exchange = { ok: true; session: string } | { ok: false; why: 'used' | 'unknown' };

export class SessionAuth {
  /** Cookies are not per port: two benches on one host each need a name of their own. */
  readonly cookieName: string;
  private readonly codes = new Set<string>();
  private readonly spent = new Set<string>();
  private readonly sessions = new Set<string>();

  constructor(port: number) {
    this.cookieName = `cxl_bench_${port}`;
  }

  /** A new one-time launch code. `preset` lets a caller choose it (tests, a code handed over by a parent). */
  newLaunchCode(preset?: string): string {
    const code = preset ?? secret();
    this.codes.add(digest(code));
    return code;
  }

  /** Spend a launch code for a new session. */
  exchange(code: string): Exchange {
    const d = digest(code);
    if (this.spent.has(d)) return { ok: false, why: 'used' };
    if (!this.codes.delete(d)) return { ok: false, why: 'unknown' };
    this.spent.add(d);
    return { ok: true, session: this.newSession() };
  }

  /** A session without a launch link: for clients in the server's own process (tests, the app). */
  newSession(): string {
    const s = secret();
    this.sessions.add(digest(s));
    return s;
  }

  /** `Set-Cookie` value for a session (never Secure: served over plain HTTP on loopback; see README for TLS). */
  setCookie(session: string): string {
    return `${this.cookieName}=${session}; HttpOnly; SameSite=Strict; Path=/`;
  }

  /** `Cookie` header value an in-process client sends. */
  cookieHeader(session: string): string {
    return `${this.cookieName}=${session}`;
  }

  /** Does the request carry a live session cookie? */
  authorised(req: IncomingMessage): boolean {
    const value = cookieValue(req.headers.cookie, this.cookieName);
    return value !== undefined && this.sessions.has(digest(value));
  }
}

/** One cookie's value from a Cookie header (RFC 6265 5.4: "name=value" pairs joined by "; "). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** A request target as a URL, or null when it cannot be one (`//[`, bad percent-encoding, …). */
export function parseTarget(target: string | undefined): URL | null {
  if (!target || !target.startsWith('/')) return null;
  try {
    // Origin-form only (RFC 9112 3.2.1): prefixing the authority keeps '//x' a path, never a host.
    return new URL(`http://bench.invalid${target}`);
  } catch {
    return null;
  }
}
