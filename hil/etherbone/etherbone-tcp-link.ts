// EtherboneTcpLink: Etherbone over TCP as litex_server serves it (litex/tools/litex_server.py): the client
// sends one-record packets back to back; the server answers each read record, in order, with one packet whose
// record's writes carry the values (base address 0). litex_server does not answer probe packets (its reader
// waits for 12 bytes of packet + record header), so opening is the TCP connect, optionally followed by a read
// of `probeAddr` to prove a board answers.
//
// TCP does not lose bytes: a read that times out means the far side is stalled. It is failed with 'timeout'
// and its reply, should it come later, is discarded (replies arrive in request order).

import { Socket } from 'node:net';
import { LinkError } from '../link.js';
import { EB_MAGIC, decodeEbPacket, ebTcpFrameLength } from './etherbone-codec.js';
import { EtherboneLinkBase, type PendingRead } from './etherbone-link-base.js';

export interface EtherboneTcpLinkOptions {
  host: string;
  port: number;
  uri?: string;
  timeoutMs?: number;
  /** Read this bus address after connecting; open fails if it does not answer. */
  probeAddr?: number;
}

export class EtherboneTcpLink extends EtherboneLinkBase {
  readonly transport = 'etherbone+tcp' as const;
  private sock: Socket | null = null;
  private rx = new Uint8Array(4096);
  private rxLen = 0;
  /** Replies still owed to reads that already timed out. */
  private orphans = 0;

  constructor(private readonly o: EtherboneTcpLinkOptions) {
    super(o.uri ?? `etherbone+tcp://${o.host}:${o.port}`, o.timeoutMs);
  }

  get isOpen(): boolean {
    return this.sock !== null;
  }

  async open(): Promise<void> {
    if (this.sock) return;
    this.closing = false;
    this.lostReason = null;
    this.rxLen = 0;
    this.orphans = 0;
    const sock = new Socket();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new LinkError('timeout', `${this.uri}: no TCP connection within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      sock.once('error', (e) => {
        clearTimeout(timer);
        reject(new LinkError('link-error', `${this.uri}: cannot connect: ${e.message}`));
      });
      sock.connect(this.o.port, this.o.host, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    sock.setNoDelay(true);
    sock.removeAllListeners('error');
    this.sock = sock;
    sock.on('data', (d: Buffer) => this.onData(d));
    sock.on('error', (e) => this.onLost(e.message));
    sock.on('close', () =>
      this.onLost(this.rxLen > 0 ? `short reply: the server closed the connection after ${this.partialText()}` : 'peer closed the connection'),
    );
    if (this.o.probeAddr !== undefined) {
      try {
        await this.read32(this.o.probeAddr);
      } catch (e) {
        await this.close();
        throw e;
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
    await new Promise<void>((r) => {
      sock.once('close', () => r());
      sock.destroy();
    });
  }

  protected send(bytes: Uint8Array): Promise<void> {
    const sock = this.sock;
    if (!sock) return Promise.reject(this.notOpen());
    return new Promise((resolve, reject) =>
      sock.write(bytes, (err) => (err ? reject(new LinkError('link-error', `${this.uri}: send failed: ${err.message}`)) : resolve())),
    );
  }

  protected onReadTimeout(r: PendingRead): void {
    if (this.rxLen > 0) {
      // Part of a frame came and the rest never did: the stream is out of step; say so, not "no reply".
      const reason = `short reply: ${this.partialText()}, then nothing for ${this.timeoutMs} ms`;
      this.sock?.destroy();
      this.onLost(reason);
      return;
    }
    this.orphans++;
    this.failRead(r, new LinkError('timeout', `${this.uri}: no reply to a read of ${r.addrs.length} word(s) in ${this.timeoutMs} ms`));
  }

  /** "5 bytes of a 20-byte Etherbone frame" for the bytes waiting in rx. */
  private partialText(): string {
    const head = 12;
    const need = this.rxLen >= head ? head + 4 * (this.rx[head - 2] + this.rx[head - 1] + 1) : null;
    return need === null ? `${this.rxLen} byte(s) of a frame's ${head}-byte header` : `${this.rxLen} of the ${need} bytes of an Etherbone frame`;
  }

  private onData(d: Uint8Array): void {
    this.stats.bytesIn += d.length;
    if (this.rxLen + d.length > this.rx.length) {
      const bigger = new Uint8Array(Math.max(this.rx.length * 2, this.rxLen + d.length));
      bigger.set(this.rx.subarray(0, this.rxLen));
      this.rx = bigger;
    }
    this.rx.set(d, this.rxLen);
    this.rxLen += d.length;
    let off = 0;
    for (;;) {
      const view = this.rx.subarray(off, this.rxLen);
      // Check the magic as soon as it is here: a garbage stream would otherwise read as a long frame.
      if (view.length >= 2 && ((view[0] << 8) | view[1]) !== EB_MAGIC) {
        this.sock?.destroy();
        this.onLost('bytes without the Etherbone magic from the server (stream out of step)');
        return;
      }
      const len = ebTcpFrameLength(view, view.length);
      if (len === 0) break;
      let ok: true | string;
      try {
        const p = decodeEbPacket(view.subarray(0, len));
        if (this.orphans > 0) {
          this.orphans--;
          ok = true;
        } else ok = this.onReply(p, false);
      } catch (e) {
        ok = `a reply that does not decode (${(e as Error).message})`;
      }
      off += len;
      if (ok !== true) {
        // An unparseable or unexpected frame: the stream is out of step, and TCP gives no way to find the next
        // frame boundary. Drop the connection; reconnect() starts clean.
        this.rxLen = 0;
        this.sock?.destroy();
        this.onLost(`${ok} (stream out of step)`);
        return;
      }
    }
    this.rx.copyWithin(0, off, this.rxLen);
    this.rxLen -= off;
  }

  private onLost(reason: string): void {
    if (!this.sock) return;
    this.sock = null;
    this.lostReason = reason;
    this.failAll(new LinkError('link-error', `${this.uri}: link lost: ${reason}`));
    if (!this.closing) this.events.emit('lost', { uri: this.uri, reason });
  }
}
