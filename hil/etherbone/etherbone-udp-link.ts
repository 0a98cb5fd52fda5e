// EtherboneUdpLink: Etherbone over UDP to a LiteEth Etherbone core (default port 1234). Opening sends a probe
// packet and waits for the probe reply (liteeth/frontend/etherbone.py answers pf with pr). Each read record
// carries a tag in its base return address; the core returns it as the reply's base write address, so a
// reply to a read that was already retried (UDP may lose either datagram) is recognised and dropped. Reads are
// retried on timeout; writes are not.

import { createSocket, type Socket } from 'node:dgram';
import { LinkError } from '../link.js';
import { decodeEbPacket, encodeEbProbe } from './etherbone-codec.js';
import { EtherboneLinkBase, type PendingRead } from './etherbone-link-base.js';

export interface EtherboneUdpLinkOptions {
  host: string;
  port: number;
  uri?: string;
  timeoutMs?: number;
  /** Skip the probe on open (cores built without probe support). */
  noProbe?: boolean;
}

export class EtherboneUdpLink extends EtherboneLinkBase {
  readonly transport = 'etherbone+udp' as const;
  private sock: Socket | null = null;
  private probeWaiter: (() => void) | null = null;
  /** What the last datagram that answered no read was (named in a read's timeout). */
  private badReply: string | null = null;

  constructor(private readonly o: EtherboneUdpLinkOptions) {
    super(o.uri ?? `etherbone+udp://${o.host}:${o.port}`, o.timeoutMs);
  }

  get isOpen(): boolean {
    return this.sock !== null;
  }

  async open(): Promise<void> {
    if (this.sock) return;
    this.closing = false;
    this.lostReason = null;
    this.badReply = null;
    const sock = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      sock.once('error', (e) => reject(new LinkError('link-error', `${this.uri}: ${e.message}`)));
      sock.connect(this.o.port, this.o.host, () => resolve());
    });
    sock.removeAllListeners('error');
    sock.on('message', (m: Buffer) => this.onMessage(m));
    sock.on('error', (e) => this.onLost(e.message));
    this.sock = sock;
    if (!this.o.noProbe) {
      const got = new Promise<boolean>((resolve) => {
        const t = setTimeout(() => resolve(false), this.timeoutMs);
        this.probeWaiter = () => (clearTimeout(t), resolve(true));
      });
      await this.send(encodeEbProbe()).catch(() => undefined);
      const ok = await got;
      this.probeWaiter = null;
      if (!ok) {
        await this.close();
        throw new LinkError('timeout', `${this.uri}: no Etherbone probe reply within ${this.timeoutMs} ms`);
      }
    }
    this.events.emit('connected', { uri: this.uri });
  }

  async close(): Promise<void> {
    const sock = this.sock;
    if (!sock) return;
    this.closing = true;
    this.sock = null;
    this.failAll(new LinkError('link-error', `${this.uri}: link closed`));
    await new Promise<void>((r) => sock.close(() => r()));
  }

  protected send(bytes: Uint8Array): Promise<void> {
    const sock = this.sock;
    if (!sock) return Promise.reject(this.notOpen());
    return new Promise((resolve, reject) =>
      sock.send(bytes, (err) => (err ? reject(new LinkError('link-error', `${this.uri}: send failed: ${err.message}`)) : resolve())),
    );
  }

  protected onReadTimeout(r: PendingRead): void {
    if (r.retriesLeft > 0 && this.sock) {
      r.retriesLeft--;
      this.stats.retries++;
      this.sendRead(r);
    } else {
      // Datagrams that came but answered nothing (too short to decode, wrong length) are the likelier story.
      const seen = this.badReply ? `; the last datagram received was ${this.badReply}` : '';
      this.failRead(r, new LinkError('timeout', `${this.uri}: no reply to a read of ${r.addrs.length} word(s) in ${this.timeoutMs} ms${seen}`));
    }
  }

  private onMessage(m: Uint8Array): void {
    this.stats.bytesIn += m.length;
    try {
      const p = decodeEbPacket(m);
      if (p.probeReply) {
        this.probeWaiter?.();
        return;
      }
      const r = this.onReply(p, true);
      if (r !== true) this.badReply = r;
    } catch (e) {
      // Not an Etherbone packet: ignore it (UDP datagrams are independent), but remember what it was.
      this.badReply = `not a valid reply: ${(e as Error).message}`;
    }
  }

  private onLost(reason: string): void {
    if (!this.sock) return;
    const s = this.sock;
    this.sock = null;
    this.lostReason = reason;
    s.close();
    this.failAll(new LinkError('link-error', `${this.uri}: link lost: ${reason}`));
    if (!this.closing) this.events.emit('lost', { uri: this.uri, reason });
  }
}
