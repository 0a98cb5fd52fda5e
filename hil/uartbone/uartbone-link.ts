// UartboneLink: a Link over a LiteX UARTBone bridge on a serial port (`serialport`). Per-request timeouts
// count from when the request is due to have left the wire (10 bits per byte at the baud rate), plus the
// reply's own wire time.
//
// Ordering and pipelining. The gateware (Stream2Wishbone behind RS232PHYRX) has no receive FIFO and no
// back-pressure: bytes that arrive while it is reading the bus or sending a reply are lost. Writes are consumed
// at wire speed (the Wishbone write takes a few clock cycles), so write requests stream back to back without
// waiting, and a read request may follow them at once. A request after a read is sent the moment the read's
// last byte arrives (the gateware is back in RECEIVE-CMD once that byte has left its transmitter). Requests are
// therefore sent in order from one queue, with at most one read outstanding.
//
// Desynchronisation. The protocol has no framing or checksum. We detect: extra bytes (more than the outstanding
// read expects, or any byte while no read is outstanding) and short replies (timeout). We recover by waiting
// until the line has been quiet for longer than the gateware's 100 ms FSM timer, discarding the input, and
// retrying the read (`maxRetries`). Writes are never retried: a write whose fate is unknown is reported.
// Not detectable: a corrupted byte inside a reply of the right length (no checksum in UARTBone).

import { SerialPort } from 'serialport';
import { DEFAULT_TIMEOUT_MS, LinkError, LinkEvents, splitBurst, type Link, type LinkEvent, type LinkListener } from '../link.js';
import { LinkStats, nowUs } from '../link-stats.js';
import { UB_GATEWARE_TIMEOUT_MS, decodeUbWords, encodeUbRead, encodeUbWrite, ubMaxBurstForBaud } from './uartbone-codec.js';

export interface UartboneLinkOptions {
  path: string;
  baud?: number;
  uri?: string;
  timeoutMs?: number;
  /** Quiet time before discarding input on resync; must exceed the gateware's FSM timer (100 ms). */
  resyncQuietMs?: number;
  /** Retries of a read after resync (writes are never retried). */
  maxRetries?: number;
  /** Override the burst length derived from the baud rate (1..255). */
  maxBurstWords?: number;
}

interface WriteOp {
  kind: 'w';
  bytes: Uint8Array;
  queuedUs: number;
  resolve(): void;
  reject(e: Error): void;
}

interface ReadOp {
  kind: 'r';
  bytes: Uint8Array;
  expect: number;
  got: Uint8Array;
  fill: number;
  retriesLeft: number;
  queuedUs: number;
  timer: ReturnType<typeof setTimeout> | null;
  resolve(v: Uint32Array): void;
  reject(e: Error): void;
}

type Op = WriteOp | ReadOp;

export class UartboneLink implements Link {
  readonly transport = 'uartbone' as const;
  readonly uri: string;
  readonly stats = new LinkStats();
  timeoutMs: number;
  readonly maxBurstWords: number;
  readonly path: string;
  readonly baud: number;
  private readonly resyncQuietMs: number;
  private readonly maxRetries: number;
  private readonly events = new LinkEvents();
  private port: SerialPort | null = null;
  private readonly queue: Op[] = [];
  private inFlight: ReadOp | null = null;
  /** Unexpected bytes seen while idle: the next read first resynchronises. */
  private dirty = false;
  private resyncing = false;
  private lastRxMs = 0;
  private closing = false;
  /** When the bytes handed to the port so far will have left the wire (ms, performance.now clock). */
  private txWireFreeMs = 0;
  private readonly byteMs: number;

  constructor(o: UartboneLinkOptions) {
    this.path = o.path;
    this.baud = o.baud ?? 115_200;
    this.uri = o.uri ?? `uartbone:${o.path}@${this.baud}`;
    this.timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.resyncQuietMs = o.resyncQuietMs ?? UB_GATEWARE_TIMEOUT_MS + 50;
    this.maxRetries = o.maxRetries ?? 2;
    this.maxBurstWords = o.maxBurstWords ?? ubMaxBurstForBaud(this.baud);
    this.byteMs = 10_000 / this.baud;
  }

  /** Account bytes handed to the port; returns ms until they have left the wire (10 bits per byte). */
  private wireBacklog(bytes: number): number {
    const now = performance.now();
    this.txWireFreeMs = Math.max(this.txWireFreeMs, now) + bytes * this.byteMs;
    return this.txWireFreeMs - now;
  }

  get isOpen(): boolean {
    return this.port !== null && this.port.isOpen;
  }

  on(event: LinkEvent, listener: LinkListener): () => void {
    return this.events.on(event, listener);
  }

  open(): Promise<void> {
    if (this.port) return Promise.resolve();
    this.closing = false;
    this.dirty = false;
    const port = new SerialPort({ path: this.path, baudRate: this.baud, autoOpen: false, dataBits: 8, parity: 'none', stopBits: 1, rtscts: false });
    return new Promise((resolve, reject) => {
      port.open((err) => {
        if (err) {
          reject(new LinkError('link-error', `${this.uri}: cannot open ${this.path}: ${err.message}`));
          return;
        }
        this.port = port;
        port.on('data', (chunk: Buffer) => this.onData(chunk));
        port.on('close', (e: Error | null) => this.onLost(e ? e.message : 'port closed'));
        port.on('error', (e: Error) => this.onLost(e.message));
        this.events.emit('connected', { uri: this.uri });
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    const port = this.port;
    if (!port) return;
    this.closing = true;
    this.failAll(new LinkError('link-error', `${this.uri}: link closed`));
    this.port = null;
    await new Promise<void>((res) => {
      if (!port.isOpen) return res();
      port.close(() => res());
    });
  }

  async reconnect(): Promise<void> {
    await this.close();
    await this.open();
  }

  // ---- requests ----

  read32(addr: number): Promise<number> {
    return this.readChunk(addr, 1).then((w) => w[0]);
  }

  write32(addr: number, value: number): Promise<void> {
    return this.writeChunk(addr, [value]);
  }

  async readBurst(addr: number, n: number): Promise<Uint32Array> {
    const out = new Uint32Array(n);
    // All chunks are queued at once: each request goes out the moment the previous reply is complete.
    const parts = splitBurst(addr, n, this.maxBurstWords).map(([a, c, i]) => this.readChunk(a, c).then((w) => out.set(w, i)));
    await Promise.all(parts);
    return out;
  }

  async writeBurst(addr: number, words: ArrayLike<number>): Promise<void> {
    const arr = Array.from(words);
    await Promise.all(splitBurst(addr, arr.length, this.maxBurstWords).map(([a, c, i]) => this.writeChunk(a, arr.slice(i, i + c))));
  }

  private readChunk(addr: number, n: number): Promise<Uint32Array> {
    return new Promise((resolve, reject) => {
      if (!this.port) return reject(new LinkError('link-error', `${this.uri}: link is not open`));
      this.queue.push({
        kind: 'r',
        bytes: encodeUbRead(addr, n),
        expect: 4 * n,
        got: new Uint8Array(4 * n),
        fill: 0,
        retriesLeft: this.maxRetries,
        queuedUs: nowUs(),
        timer: null,
        resolve,
        reject,
      });
      this.pump();
    });
  }

  private writeChunk(addr: number, words: ArrayLike<number>): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.port) return reject(new LinkError('link-error', `${this.uri}: link is not open`));
      this.queue.push({ kind: 'w', bytes: encodeUbWrite(addr, words), queuedUs: nowUs(), resolve, reject });
      this.pump();
    });
  }

  /** Send queued requests in order until a read is outstanding (see the header comment). */
  private pump(): void {
    const port = this.port;
    while (port && !this.inFlight && !this.resyncing && this.queue.length > 0) {
      const op = this.queue[0];
      if (op.kind === 'r' && this.dirty) {
        void this.resync();
        return;
      }
      this.queue.shift();
      this.stats.requests++;
      this.stats.bytesOut += op.bytes.length;
      if (op.kind === 'w') {
        this.wireBacklog(op.bytes.length);
        port.write(op.bytes, (err) => {
          if (err) {
            this.stats.errors++;
            op.reject(new LinkError('link-error', `${this.uri}: write not sent: ${err.message}`));
          } else {
            this.stats.recordLatency(nowUs() - op.queuedUs);
            op.resolve();
          }
        });
      } else {
        this.sendRead(op);
      }
    }
  }

  private sendRead(op: ReadOp): void {
    const port = this.port!;
    op.fill = 0;
    this.inFlight = op;
    // The timeout runs from when the request has left the wire (pipelined writes may be ahead of it) and
    // allows the reply's own wire time on top.
    const wire = this.wireBacklog(op.bytes.length) + op.expect * this.byteMs;
    op.timer = setTimeout(() => this.onReadTimeout(op), this.timeoutMs + wire);
    port.write(op.bytes, (err) => {
      if (err && this.inFlight === op) this.onLost(`write failed: ${err.message}`);
    });
  }

  private onData(chunk: Uint8Array): void {
    this.stats.bytesIn += chunk.length;
    this.lastRxMs = performance.now();
    const op = this.inFlight;
    if (!op || this.resyncing) {
      if (!this.resyncing) this.dirty = true; // unsolicited bytes: garbage or a late reply
      return;
    }
    const room = op.expect - op.fill;
    if (chunk.length > room) {
      // More bytes than the reply can hold: the stream is out of step. Resync, then retry the read.
      this.dirty = true;
      this.retryOrFail(op, 'link-error', `reply had ${op.fill + chunk.length} bytes, expected ${op.expect} (garbage on the line)`);
      return;
    }
    op.got.set(chunk, op.fill);
    op.fill += chunk.length;
    if (op.fill === op.expect) {
      if (op.timer) clearTimeout(op.timer);
      this.inFlight = null;
      this.stats.recordLatency(nowUs() - op.queuedUs);
      op.resolve(decodeUbWords(op.got));
      this.pump();
    }
  }

  private onReadTimeout(op: ReadOp): void {
    if (this.inFlight !== op) return;
    this.stats.timeouts++;
    this.dirty = true;
    this.retryOrFail(op, 'timeout', `read of ${op.expect / 4} word(s) got ${op.fill} of ${op.expect} bytes in ${this.timeoutMs} ms`);
  }

  private retryOrFail(op: ReadOp, kind: 'timeout' | 'link-error', why: string): void {
    if (op.timer) clearTimeout(op.timer);
    op.timer = null;
    this.inFlight = null;
    if (op.retriesLeft > 0 && this.port) {
      op.retriesLeft--;
      this.stats.retries++;
      this.queue.unshift(op); // a read is safe to repeat
    } else {
      this.stats.errors++;
      op.reject(new LinkError(kind, `${this.uri}: ${why}`));
    }
    this.pump();
  }

  /** Wait for a quiet line longer than the gateware FSM timer, discard input, then carry on. */
  private async resync(): Promise<void> {
    if (this.resyncing) return;
    this.resyncing = true;
    const port = this.port;
    this.lastRxMs = Math.max(this.lastRxMs, performance.now());
    while (this.port === port && port) {
      const quiet = performance.now() - this.lastRxMs;
      if (quiet >= this.resyncQuietMs) break;
      await new Promise((r) => setTimeout(r, this.resyncQuietMs - quiet + 1));
    }
    if (port && this.port === port) await new Promise<void>((r) => port.flush(() => r()));
    this.dirty = false;
    this.resyncing = false;
    this.pump();
  }

  private onLost(reason: string): void {
    if (!this.port) return;
    const port = this.port;
    this.port = null;
    if (port.isOpen) port.close(() => undefined);
    this.failAll(new LinkError('link-error', `${this.uri}: link lost: ${reason}`));
    if (!this.closing) this.events.emit('lost', { uri: this.uri, reason });
  }

  private failAll(err: LinkError): void {
    const pending: Op[] = [...(this.inFlight ? [this.inFlight] : []), ...this.queue.splice(0)];
    if (this.inFlight?.timer) clearTimeout(this.inFlight.timer);
    this.inFlight = null;
    for (const op of pending) {
      this.stats.errors++;
      op.reject(err);
    }
  }
}

// The serial-port lister moved to serial-ports.ts (one implementation, injectable for tests).
export { listSerialPorts, type SerialPortSummary } from './serial-ports.js';
