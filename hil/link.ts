// A Link moves 32-bit bus accesses between this machine and a bridge on a board (DESIGN.md 3): LiteX UARTBone
// over a serial port, Etherbone over TCP (litex_server) or UDP (LiteEth), or Linux sysfs for a PCIe function in
// this machine. Addresses are byte addresses on the bridge's bus; words are 32-bit, transferred big-endian by
// the wire protocols and handed to callers as plain unsigned numbers.
//
// Failure model: a request that gets no (complete) answer within `timeoutMs` rejects with LinkError('timeout');
// a transport that drops rejects every pending request with LinkError('link-error') and emits 'lost'. Reads may
// be retried by a link after resynchronising; writes never are (a write that may or may not have landed is
// reported, not repeated).

import { LinkStats } from './link-stats.js';

export type LinkTransport = 'uartbone' | 'etherbone+tcp' | 'etherbone+udp' | 'sysfs';

export type LinkErrorKind = 'timeout' | 'link-error';

/** Why a link request failed; kind maps onto common/target.ts LinkFault and the trace status. */
export class LinkError extends Error {
  constructor(
    readonly kind: LinkErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'LinkError';
  }
}

export type LinkEvent = 'connected' | 'lost';
export type LinkListener = (detail: { uri: string; reason?: string }) => void;

export interface Link {
  readonly uri: string;
  readonly transport: LinkTransport;
  readonly isOpen: boolean;
  /** Per-request timeout in milliseconds (time from sending to the complete answer). */
  timeoutMs: number;
  /** Largest burst one wire request carries (words); longer bursts are split. */
  readonly maxBurstWords: number;
  readonly stats: LinkStats;

  open(): Promise<void>;
  close(): Promise<void>;
  /** Close (if open) and open again; pending requests fail with 'link-error'. */
  reconnect(): Promise<void>;

  read32(addr: number): Promise<number>;
  write32(addr: number, value: number): Promise<void>;
  /** n incrementing words from addr (split into wire requests of at most maxBurstWords, pipelined). */
  readBurst(addr: number, n: number): Promise<Uint32Array>;
  writeBurst(addr: number, words: ArrayLike<number>): Promise<void>;

  /**
   * Native 1/2-byte accesses, when the transport has them (sysfs config space). Links without them leave
   * these undefined and HardwareEndpoint does read-modify-write of the containing word.
   */
  readSub?(addr: number, width: 1 | 2): Promise<number>;
  writeSub?(addr: number, width: 1 | 2, value: number): Promise<void>;
  /**
   * One native 64-bit access, when the transport has it (a mapped sysfs BAR). Bus bridges leave these undefined
   * and HardwareEndpoint moves a 64-bit register as two dwords, low first.
   */
  read64?(addr: number): Promise<bigint>;
  write64?(addr: number, value: bigint): Promise<void>;

  on(event: LinkEvent, listener: LinkListener): () => void;
}

/** Minimal typed event fan-out shared by the link implementations. */
export class LinkEvents {
  private readonly map = new Map<LinkEvent, Set<LinkListener>>();
  on(event: LinkEvent, l: LinkListener): () => void {
    let s = this.map.get(event);
    if (!s) this.map.set(event, (s = new Set()));
    s.add(l);
    return () => s.delete(l);
  }
  emit(event: LinkEvent, detail: { uri: string; reason?: string }): void {
    for (const l of this.map.get(event) ?? []) {
      try {
        l(detail);
      } catch {
        // a listener's failure is not the link's
      }
    }
  }
}

// ---- URIs ----

export type LinkUri =
  | { transport: 'uartbone'; uri: string; path: string; baud: number }
  | { transport: 'etherbone+tcp'; uri: string; host: string; port: number }
  | { transport: 'etherbone+udp'; uri: string; host: string; port: number }
  | { transport: 'sysfs'; uri: string; bdf: string };

/** Thrown by parseLinkUri: `message` says what is wrong and shows the accepted forms. */
export class LinkUriError extends Error {
  constructor(uri: string, why: string) {
    super(
      `bad link URI "${uri}": ${why}. Accepted: uartbone:/dev/ttyUSB0@115200, etherbone+tcp://127.0.0.1:1234, ` +
        `etherbone+udp://192.168.1.50:1234, sysfs:0000:3b:00.0`,
    );
    this.name = 'LinkUriError';
  }
}

/** Default UARTBone baud rate (LiteX UARTWishboneBridge default) and Etherbone port (LiteEth, litex_server). */
export const DEFAULT_BAUD = 115_200;
export const DEFAULT_ETHERBONE_PORT = 1234;

const BDF_RE = /^([0-9a-fA-F]{4}):([0-9a-fA-F]{2}):([0-1][0-9a-fA-F])\.([0-7])$/;

function parseHostPort(uri: string, rest: string): { host: string; port: number } {
  if (!rest.startsWith('//')) throw new LinkUriError(uri, 'expected "//host:port" after the scheme');
  const hp = rest.slice(2).replace(/\/$/, '');
  if (hp === '') throw new LinkUriError(uri, 'missing host');
  let host: string;
  let portText: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(.*))?$/.exec(hp);
  if (v6) {
    host = v6[1];
    portText = v6[2];
  } else {
    const i = hp.lastIndexOf(':');
    host = i < 0 ? hp : hp.slice(0, i);
    portText = i < 0 ? undefined : hp.slice(i + 1);
  }
  if (host === '') throw new LinkUriError(uri, 'missing host');
  let port = DEFAULT_ETHERBONE_PORT;
  if (portText !== undefined) {
    if (!/^\d+$/.test(portText)) throw new LinkUriError(uri, `port "${portText}" is not a number`);
    port = Number(portText);
    if (port < 1 || port > 65535) throw new LinkUriError(uri, `port ${port} is outside 1..65535`);
  }
  return { host, port };
}

export function parseLinkUri(uri: string): LinkUri {
  const text = uri.trim();
  const colon = text.indexOf(':');
  if (colon <= 0) throw new LinkUriError(uri, 'missing scheme');
  const scheme = text.slice(0, colon).toLowerCase();
  const rest = text.slice(colon + 1);
  switch (scheme) {
    case 'uartbone': {
      const at = rest.lastIndexOf('@');
      const path = at < 0 ? rest : rest.slice(0, at);
      if (path === '') throw new LinkUriError(uri, 'missing serial port path');
      let baud = DEFAULT_BAUD;
      if (at >= 0) {
        const b = rest.slice(at + 1);
        if (!/^\d+$/.test(b) || Number(b) <= 0) throw new LinkUriError(uri, `baud rate "${b}" is not a positive integer`);
        baud = Number(b);
      }
      return { transport: 'uartbone', uri: text, path, baud };
    }
    case 'etherbone+tcp':
    case 'etherbone':
      return { transport: 'etherbone+tcp', uri: text, ...parseHostPort(uri, rest) };
    case 'etherbone+udp':
      return { transport: 'etherbone+udp', uri: text, ...parseHostPort(uri, rest) };
    case 'sysfs': {
      const m = BDF_RE.exec(rest);
      if (!m) throw new LinkUriError(uri, `"${rest}" is not a PCI address DDDD:BB:DD.F`);
      return { transport: 'sysfs', uri: text, bdf: rest.toLowerCase() };
    }
    default:
      throw new LinkUriError(uri, `unknown scheme "${scheme}"`);
  }
}

export interface OpenLinkOptions {
  timeoutMs?: number;
}

/** Parse, construct and open the link a URI names. Rejects with LinkUriError or LinkError. */
export async function openLink(uri: string, opts: OpenLinkOptions = {}): Promise<Link> {
  const u = parseLinkUri(uri);
  let link: Link;
  switch (u.transport) {
    case 'uartbone': {
      const { UartboneLink } = await import('./uartbone/uartbone-link.js');
      link = new UartboneLink({ path: u.path, baud: u.baud, uri: u.uri, ...opts });
      break;
    }
    case 'etherbone+tcp': {
      const { EtherboneTcpLink } = await import('./etherbone/etherbone-tcp-link.js');
      link = new EtherboneTcpLink({ host: u.host, port: u.port, uri: u.uri, ...opts });
      break;
    }
    case 'etherbone+udp': {
      const { EtherboneUdpLink } = await import('./etherbone/etherbone-udp-link.js');
      link = new EtherboneUdpLink({ host: u.host, port: u.port, uri: u.uri, ...opts });
      break;
    }
    case 'sysfs': {
      const { SysfsPciLink } = await import('./sysfs/sysfs-pci-link.js');
      link = new SysfsPciLink({ bdf: u.bdf, uri: u.uri, ...opts });
      break;
    }
  }
  await link.open();
  return link;
}

export const DEFAULT_TIMEOUT_MS = 500;

/** Words of a burst request split into wire-sized chunks: [addr, count, index into the burst]. */
export function splitBurst(addr: number, n: number, max: number): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  for (let i = 0; i < n; i += max) out.push([(addr + 4 * i) >>> 0, Math.min(max, n - i), i]);
  return out;
}
