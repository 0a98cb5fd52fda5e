// A Link carried over a MessagePort, for run workers whose link cannot live in a worker thread: serialport's
// native poller (@serialport/bindings-cpp) is not worker-safe — a UARTBone port read from a worker_thread
// aborts the process ("HandleScope ... without proper locking", serialport/node-serialport#2748). The main
// thread opens the real link and serves requests (serveLinkOverPort); the worker gets a ProxiedLink with the
// same interface. Requests are answered in order; a link error comes back with its kind, so the worker's
// HardwareEndpoint traces 'timeout' / 'link-error' exactly as with a direct link.

import type { MessagePort } from 'node:worker_threads';
import { LinkError, type Link, type LinkErrorKind, type LinkEvent, type LinkListener, type LinkTransport } from '../../hil/link.js';
import { LinkStats } from '../../hil/link-stats.js';

type Op = 'open' | 'close' | 'read32' | 'write32' | 'readBurst' | 'writeBurst';
interface Request {
  id: number;
  op: Op;
  addr?: number;
  value?: number;
  n?: number;
  words?: number[];
}
type Reply = { id: number; ok: true; value?: number; words?: Uint32Array; maxBurstWords?: number } | { id: number; ok: false; kind: LinkErrorKind; message: string };
type Push = { event: LinkEvent; reason?: string };

const kindOf = (e: unknown): LinkErrorKind => (e instanceof LinkError ? e.kind : 'link-error');
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Main thread: serve `port` with a link opened from `uri` on the first 'open' request (so an open failure is
 * the run's to report). Resolves when the worker closes the link or the port.
 */
export function serveLinkOverPort(port: MessagePort, open: () => Promise<Link>): Promise<void> {
  let link: Link | null = null;
  let chain: Promise<void> = Promise.resolve();
  return new Promise<void>((resolve) => {
    const finish = async (): Promise<void> => {
      port.removeAllListeners('message');
      const l = link;
      link = null;
      await l?.close().catch(() => {});
      port.close();
      resolve();
    };
    const handle = async (r: Request): Promise<Reply> => {
      try {
        switch (r.op) {
          case 'open':
            link = await open();
            link.on('lost', (d) => port.postMessage({ event: 'lost', reason: d.reason } satisfies Push));
            return { id: r.id, ok: true, maxBurstWords: link.maxBurstWords };
          case 'close':
            return { id: r.id, ok: true };
          case 'read32':
            return { id: r.id, ok: true, value: await need(link).read32(r.addr!) };
          case 'write32':
            await need(link).write32(r.addr!, r.value!);
            return { id: r.id, ok: true };
          case 'readBurst':
            return { id: r.id, ok: true, words: await need(link).readBurst(r.addr!, r.n!) };
          case 'writeBurst':
            await need(link).writeBurst(r.addr!, r.words!);
            return { id: r.id, ok: true };
        }
      } catch (e) {
        return { id: r.id, ok: false, kind: kindOf(e), message: messageOf(e) };
      }
    };
    port.on('message', (r: Request) => {
      // In order, one at a time: the wire protocols answer in order anyway.
      chain = chain.then(async () => {
        const reply = await handle(r);
        port.postMessage(reply);
        if (r.op === 'close') await finish();
      });
    });
    port.on('close', () => void finish());
  });
}

function need(l: Link | null): Link {
  if (!l) throw new LinkError('link-error', 'link is not open');
  return l;
}

/** Worker side: a Link whose requests go to the main thread over `port`. */
export class ProxiedLink implements Link {
  readonly stats = new LinkStats();
  timeoutMs = 1000;
  maxBurstWords = 255;
  private nextId = 1;
  private open_ = false;
  private readonly pending = new Map<number, { resolve: (r: Reply) => void }>();
  private readonly listeners = new Map<LinkEvent, Set<LinkListener>>();

  constructor(
    readonly uri: string,
    readonly transport: LinkTransport,
    private readonly port: MessagePort,
  ) {
    port.on('message', (m: Reply | Push) => {
      if ('event' in m) {
        if (m.event === 'lost') this.open_ = false;
        for (const l of this.listeners.get(m.event) ?? []) l({ uri: this.uri, ...(m.reason ? { reason: m.reason } : {}) });
        return;
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      p.resolve(m);
    });
  }

  get isOpen(): boolean {
    return this.open_;
  }

  private async call(req: Omit<Request, 'id'>): Promise<Reply & { ok: true }> {
    const id = this.nextId++;
    const t0 = performance.now();
    const reply = await new Promise<Reply>((resolve) => {
      this.pending.set(id, { resolve });
      this.port.postMessage({ ...req, id });
    });
    this.stats.requests++;
    this.stats.recordLatency((performance.now() - t0) * 1000);
    if (!reply.ok) {
      if (reply.kind === 'timeout') this.stats.timeouts++;
      else this.stats.errors++;
      throw new LinkError(reply.kind, reply.message);
    }
    return reply;
  }

  async open(): Promise<void> {
    const r = await this.call({ op: 'open' });
    if (r.maxBurstWords) this.maxBurstWords = r.maxBurstWords;
    this.open_ = true;
  }
  async close(): Promise<void> {
    if (!this.open_) return;
    this.open_ = false;
    await this.call({ op: 'close' }).catch(() => {});
    this.port.close();
  }
  async reconnect(): Promise<void> {
    throw new LinkError('link-error', `${this.uri}: reconnect is not available through a run's link proxy`);
  }
  async read32(addr: number): Promise<number> {
    return (await this.call({ op: 'read32', addr })).value!;
  }
  async write32(addr: number, value: number): Promise<void> {
    await this.call({ op: 'write32', addr, value });
  }
  async readBurst(addr: number, n: number): Promise<Uint32Array> {
    return (await this.call({ op: 'readBurst', addr, n })).words!;
  }
  async writeBurst(addr: number, words: ArrayLike<number>): Promise<void> {
    await this.call({ op: 'writeBurst', addr, words: Array.from(words) });
  }
  on(event: LinkEvent, listener: LinkListener): () => void {
    let s = this.listeners.get(event);
    if (!s) this.listeners.set(event, (s = new Set()));
    s.add(listener);
    return () => s.delete(listener);
  }
}

/** Links whose native I/O must stay on the main thread (see above). */
export const needsMainThread = (transport: LinkTransport): boolean => transport === 'uartbone';
