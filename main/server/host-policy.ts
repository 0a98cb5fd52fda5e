// Which addresses the served bench may bind and which Host / Origin headers it answers (DNS-rebinding and
// cross-site defence). Loopback is the default; any other address needs an explicit opt-in (serve
// --allow-remote), because the bench then answers everyone who can reach the port and HTTP is not encrypted.

import { isIP } from 'node:net';

/** 127.0.0.0/8, ::1, and the name `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  // ::ffff:127.x.y.z, an IPv4-mapped loopback address.
  return /^::ffff:127\./.test(h);
}

/** `host` as it appears in a URL authority (IPv6 literals bracketed). */
export const urlHost = (host: string): string => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

/**
 * The Host header values a request may carry: the loopback names, the bound address when it is a specific
 * one, and names the user allowed (a reverse proxy's name, this machine's DNS name), each with the port — and
 * each allowed name exactly as given, too (`bench.lab.example` behind a proxy on 443).
 * IP literals are safe from DNS rebinding; names are not, which is why a name is accepted only when listed.
 */
export function allowedHosts(bound: string, port: number, extra: readonly string[] = []): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
  if (bound !== '0.0.0.0' && bound !== '::') names.add(urlHost(bound));
  for (const e of extra) names.add(urlHost(e.toLowerCase()));
  // A listed name is also accepted exactly as given: behind a TLS proxy the Host is the proxy's (no port, or its own).
  const out = new Set<string>(extra.map((e) => e.toLowerCase()));
  for (const n of names) {
    out.add(`${n}:${port}`);
    // A browser leaves the scheme's default port out of Host.
    if (port === 80) out.add(n);
  }
  return out;
}

/**
 * Is `hostHeader` one this server answers? When bound to a wildcard address with remote access allowed, any
 * IP literal of the right port is accepted as well (what a LAN user types), never an arbitrary DNS name.
 */
export function hostAllowed(hostHeader: string | undefined, allowed: ReadonlySet<string>, port: number, anyIpLiteral: boolean): boolean {
  if (!hostHeader) return false;
  const h = hostHeader.toLowerCase();
  if (allowed.has(h)) return true;
  if (!anyIpLiteral) return false;
  const m = /^(\[[0-9a-f:.]+\]|[0-9.]+):(\d+)$/.exec(h);
  return m !== null && Number(m[2]) === port && isIP(m[1].replace(/^\[|\]$/g, '')) !== 0;
}

/**
 * A browser request's Origin must be this server itself (same scheme-less authority as the Host it asked
 * for). No Origin at all is a non-browser client (a script, a test), which a web page cannot make.
 */
export function originAllowed(origin: string | undefined, hostHeader: string | undefined): boolean {
  if (origin === undefined) return true;
  if (!hostHeader) return false;
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false;
  }
  return (u.protocol === 'http:' || u.protocol === 'https:') && u.host.toLowerCase() === hostHeader.toLowerCase();
}
