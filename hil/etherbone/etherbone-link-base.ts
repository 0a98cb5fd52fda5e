// What the TCP and UDP Etherbone links share: one record per packet (litex_server reads exactly one), at most
// 255 words per record, requests sent at once (pipelined) and read replies matched to outstanding reads.
// Writes are not acknowledged by Etherbone; a write resolves when the transport accepted its bytes.

import { DEFAULT_TIMEOUT_MS, LinkError, LinkEvents, splitBurst, type Link, type LinkEvent, type LinkListener, type LinkTransport } from '../link.js';
import { LinkStats, nowUs } from '../link-stats.js';
import { EB_MAX_COUNT, ebPacket, ebRecord, encodeEbPacket, type EbPacket } from './etherbone-codec.js';

export interface PendingRead {
  tag: number;
  addrs: number[];
  packet: Uint8Array;
  queuedUs: number;
  retriesLeft: number;
  timer: ReturnType<typeof setTimeout> | null;
  resolve(w: Uint32Array): void;
  reject(e: Error): void;
}

export abstract class EtherboneLinkBase implements Link {
  abstract readonly transport: LinkTransport;
  readonly stats = new LinkStats();
  readonly maxBurstWords = EB_MAX_COUNT;
  timeoutMs: number;
  protected readonly events = new LinkEvents();
  protected pending: PendingRead[] = [];
  private nextTag = 1;
  protected closing = false;
  /** Why the link was lost, for the error of every later call (issue 16: not a bare "link is not open"). */
  protected lostReason: string | null = null;

  constructor(
    readonly uri: string,
    timeoutMs: number | undefined,
  ) {
    this.timeoutMs = timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  abstract get isOpen(): boolean;
  abstract open(): Promise<void>;
  abstract close(): Promise<void>;
  /** Hand a packet to the transport; resolves when it was accepted, rejects with LinkError. */
  protected abstract send(bytes: Uint8Array): Promise<void>;
  /** A read got no reply in time. */
  protected abstract onReadTimeout(r: PendingRead): void;

  async reconnect(): Promise<void> {
    await this.close();
    await this.open();
  }

  on(event: LinkEvent, listener: LinkListener): () => void {
    return this.events.on(event, listener);
  }

  read32(addr: number): Promise<number> {
    return this.readWords(Array.of(addr >>> 0)).then((w) => w[0]);
  }

  write32(addr: number, value: number): Promise<void> {
    return this.writeWords(addr, [value]);
  }

  async readBurst(addr: number, n: number): Promise<Uint32Array> {
    const out = new Uint32Array(n);
    await Promise.all(
      splitBurst(addr, n, this.maxBurstWords).map(([a, c, i]) =>
        this.readWords(Array.from({ length: c }, (_, k) => (a + 4 * k) >>> 0)).then((w) => out.set(w, i)),
      ),
    );
    return out;
  }

  async writeBurst(addr: number, words: ArrayLike<number>): Promise<void> {
    const arr = Array.from(words);
    await Promise.all(splitBurst(addr, arr.length, this.maxBurstWords).map(([a, c, i]) => this.writeWords(a, arr.slice(i, i + c))));
  }

  /** The error of a call on a link that is not open, naming why it was lost when it was. */
  protected notOpen(): LinkError {
    return new LinkError('link-error', `${this.uri}: link is not open${this.lostReason ? ` (lost: ${this.lostReason})` : ''}`);
  }

  protected async writeWords(addr: number, words: number[]): Promise<void> {
    if (!this.isOpen) throw this.notOpen();
    const t0 = nowUs();
    const bytes = encodeEbPacket(ebPacket([ebRecord({ writeBase: addr >>> 0, writes: words })]));
    this.stats.requests++;
    this.stats.bytesOut += bytes.length;
    await this.send(bytes);
    this.stats.recordLatency(nowUs() - t0);
  }

  protected readWords(addrs: number[]): Promise<Uint32Array> {
    return new Promise((resolve, reject) => {
      if (!this.isOpen) return reject(this.notOpen());
      const tag = (this.nextTag++ * 4) >>> 0 || 4;
      const packet = encodeEbPacket(ebPacket([ebRecord({ returnBase: tag, reads: addrs })]));
      const r: PendingRead = { tag, addrs, packet, queuedUs: nowUs(), retriesLeft: 2, timer: null, resolve, reject };
      this.pending.push(r);
      this.sendRead(r);
    });
  }

  protected sendRead(r: PendingRead): void {
    this.stats.requests++;
    this.stats.bytesOut += r.packet.length;
    r.timer = setTimeout(() => {
      r.timer = null;
      this.stats.timeouts++;
      this.onReadTimeout(r);
    }, this.timeoutMs);
    this.send(r.packet).catch((e: Error) => this.failRead(r, e instanceof LinkError ? e : new LinkError('link-error', `${this.uri}: ${e.message}`)));
  }

  /**
   * A decoded reply packet: its (first) record's writes answer a read. Returns true, or why it answers none
   * (no record, no read outstanding, or a reply of the wrong length: a short reply names both counts).
   */
  protected onReply(p: EbPacket, byTag: boolean): true | string {
    const rec = p.records[0];
    if (!rec) return 'a reply packet without a record';
    let i = byTag ? this.pending.findIndex((r) => r.tag === rec.writeBase) : 0;
    // A tagged reply whose tag is not outstanding answers a read already retried or failed: drop it. A server
    // that does not echo the tag (base 0, as litex_server) is matched in order.
    if (i < 0 && rec.writeBase === 0) i = 0;
    if (i < 0) return `a reply for tag 0x${rec.writeBase.toString(16)}, which no read is waiting for`;
    const r = this.pending[i];
    if (!r) return 'a reply while no read is waiting';
    if (r.addrs.length !== rec.writes.length)
      return `${rec.writes.length < r.addrs.length ? 'short' : 'long'} reply: ${rec.writes.length} word(s) for a read of ${r.addrs.length}`;
    this.pending.splice(i, 1);
    if (r.timer) clearTimeout(r.timer);
    this.stats.recordLatency(nowUs() - r.queuedUs);
    r.resolve(Uint32Array.from(rec.writes));
    return true;
  }

  protected failRead(r: PendingRead, e: LinkError): void {
    const i = this.pending.indexOf(r);
    if (i >= 0) this.pending.splice(i, 1);
    if (r.timer) clearTimeout(r.timer);
    this.stats.errors++;
    r.reject(e);
  }

  protected failAll(e: LinkError): void {
    for (const r of [...this.pending]) this.failRead(r, e);
  }
}
