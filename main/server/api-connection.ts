// One WebSocket client of the served bench, with bounded memory and fair service:
// - requests wait in a queue and at most `inFlight` run at once; past `queuedFrames` / `queuedBytes` waiting,
//   the socket stops being read (TCP pushes back on the client instead of the server buffering its flood);
// - answers and pushes handed to the socket but not yet flushed are counted: past `sendHighWater` no new
//   request starts until the client reads, past `sendHardCap` (a client that stopped reading while events keep
//   coming) the connection is dropped;
// - after each request the next one waits for the event loop's next turn, so other clients (a health call)
//   are served between a flood's requests;
// - a closed connection's queued requests are dropped, and answers to ones still running are discarded.
// Protocol errors (unmasked frame, RSV bits, bad opcode, invalid UTF-8, fragmented control frame, a message
// over the frame cap) are reported through `onProblem` while `ws` closes with the RFC 6455 7.4.1 status code.

import type { WebSocket } from 'ws';
import type { ApiErrorBody } from '../api/contract.js';
import { parseRequest, type WsPush, type WsRequest, type WsResponse } from './protocol.js';

export interface ConnectionLimits {
  inFlight: number;
  queuedFrames: number;
  queuedBytes: number;
  sendHighWater: number;
  sendHardCap: number;
}

export const DEFAULT_CONNECTION_LIMITS: Readonly<ConnectionLimits> = {
  inFlight: 4,
  queuedFrames: 64,
  queuedBytes: 128 << 20,
  sendHighWater: 8 << 20,
  sendHardCap: 64 << 20,
};

/** Runs one request; never rejects (errors come back as the response's error body). */
export type Dispatch = (req: WsRequest) => Promise<WsResponse>;

const badFrame = (message: string): WsResponse => ({ id: -1, ok: false, error: { code: 'bad-input', message } satisfies ApiErrorBody });

export class ApiConnection {
  private readonly queue: { text: string; bytes: number }[] = [];
  private queuedBytes = 0;
  private running = 0;
  private unsent = 0;
  private paused = false;
  private closed = false;
  private pumpScheduled = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly dispatch: Dispatch,
    private readonly limits: ConnectionLimits,
    private readonly onProblem: (what: string) => void,
  ) {
    ws.on('message', (data, isBinary) => this.received(data as Buffer, isBinary));
    ws.on('error', (e: Error & { code?: string }) => onProblem(`${e.message}${e.code ? ` (${e.code})` : ''}; closing`));
    ws.on('close', () => this.drop());
  }

  /** Requests waiting plus running, and bytes not yet flushed to the client (for tests and the log). */
  get load(): { queued: number; running: number; unsent: number } {
    return { queued: this.queue.length, running: this.running, unsent: this.unsent };
  }

  /** A server event for this client. */
  push(frame: string): void {
    this.send(frame);
  }

  private received(data: Buffer, isBinary: boolean): void {
    if (this.closed) return;
    if (isBinary) {
      this.send(JSON.stringify(badFrame('frames must be JSON text')));
      return;
    }
    this.queue.push({ text: data.toString('utf8'), bytes: data.length });
    this.queuedBytes += data.length;
    if (!this.paused && (this.queue.length >= this.limits.queuedFrames || this.queuedBytes >= this.limits.queuedBytes)) {
      this.paused = true;
      this.ws.pause();
    }
    this.pump();
  }

  private pump(): void {
    while (!this.closed && this.running < this.limits.inFlight && this.queue.length > 0 && this.unsent < this.limits.sendHighWater) {
      const next = this.queue.shift()!;
      this.queuedBytes -= next.bytes;
      this.running++;
      void this.serve(next.text);
    }
    if (this.paused && !this.closed && this.queue.length < this.limits.queuedFrames / 2 && this.queuedBytes < this.limits.queuedBytes / 2) {
      this.paused = false;
      this.ws.resume();
    }
  }

  private async serve(text: string): Promise<void> {
    try {
      const req = parseRequest(text);
      const res: WsResponse = 'error' in req ? { id: req.id, ok: false, error: req.error } : await this.dispatch(req);
      if (!this.closed) this.send(JSON.stringify(res));
    } finally {
      this.running--;
      this.schedulePump();
    }
  }

  /** The next request runs on the event loop's next turn: other clients' frames are handled in between. */
  private schedulePump(): void {
    if (this.pumpScheduled || this.closed) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private send(frame: string): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    const bytes = Buffer.byteLength(frame);
    if (this.unsent + bytes > this.limits.sendHardCap) {
      this.onProblem(`client stopped reading (${this.unsent} bytes unsent, cap ${this.limits.sendHardCap}); dropping the connection`);
      this.ws.terminate();
      this.drop();
      return;
    }
    this.unsent += bytes;
    this.ws.send(frame, () => {
      this.unsent -= bytes;
      if (this.unsent < this.limits.sendHighWater / 2) this.schedulePump();
    });
  }

  /** The client is gone: forget what it asked for. */
  private drop(): void {
    this.closed = true;
    this.queue.length = 0;
    this.queuedBytes = 0;
  }
}

/** The push frame for a server event (one JSON.stringify shared by every client). */
export const pushFrame = (event: WsPush['event']): string => JSON.stringify({ event } satisfies WsPush);
