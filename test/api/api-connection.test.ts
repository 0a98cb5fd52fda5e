// The per-client bounds of the served bench (main/server/api-connection.ts), against a scripted socket: how many
// requests run at once, when reading stops, when answers wait for the client, and what a closed client costs.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { ApiConnection, type ConnectionLimits } from '../../main/server/api-connection.js';
import type { WsRequest, WsResponse } from '../../main/server/protocol.js';

class ScriptedSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  paused = false;
  terminated = false;
  /** Frames sent, with the callback that says they were flushed (held until the test flushes). */
  sent: { frame: string; flushed: () => void }[] = [];
  send(frame: string, cb: () => void) {
    this.sent.push({ frame, flushed: cb });
  }
  pause() {
    this.paused = true;
  }
  resume() {
    this.paused = false;
  }
  terminate() {
    this.terminated = true;
    this.readyState = 3;
  }
  request(id: number, call = 'x') {
    this.emit('message', Buffer.from(JSON.stringify({ id, call })), false);
  }
  flushAll() {
    for (const s of this.sent.splice(0)) s.flushed();
  }
}

const LIMITS: ConnectionLimits = { inFlight: 2, queuedFrames: 4, queuedBytes: 1 << 20, sendHighWater: 1000, sendHardCap: 5000 };
const turn = () => new Promise((r) => setImmediate(r));

/** A dispatch whose calls the test completes by hand. */
function manualDispatch() {
  const started: { req: WsRequest; done: (bytes?: number) => void }[] = [];
  const dispatch = (req: WsRequest) =>
    new Promise<WsResponse>((resolve) => started.push({ req, done: (bytes = 10) => resolve({ id: req.id, ok: true, result: 'x'.repeat(bytes) }) }));
  return { started, dispatch };
}

describe('ApiConnection', () => {
  it('runs at most inFlight requests at once and stops reading the socket past queuedFrames', async () => {
    const ws = new ScriptedSocket();
    const { started, dispatch } = manualDispatch();
    new ApiConnection(ws as unknown as WebSocket, dispatch, LIMITS, () => {});
    for (let i = 0; i < 6; i++) ws.request(i);
    expect(started.map((s) => s.req.id)).toEqual([0, 1]);
    expect(ws.paused).toBe(true);
    started[0].done();
    started[1].done();
    await turn();
    await turn();
    expect(started.map((s) => s.req.id)).toEqual([0, 1, 2, 3]);
    expect(ws.paused).toBe(true); // 2 still queued: reading resumes below half of queuedFrames
    started[2].done();
    started[3].done();
    await turn();
    await turn();
    expect(started.map((s) => s.req.id)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(ws.paused).toBe(false);
  });

  it('starts nothing new while more than sendHighWater bytes wait for the client, and resumes when it reads', async () => {
    const ws = new ScriptedSocket();
    const { started, dispatch } = manualDispatch();
    new ApiConnection(ws as unknown as WebSocket, dispatch, LIMITS, () => {});
    ws.request(0);
    ws.request(1);
    ws.request(2);
    started[0].done(1200); // one answer over the high-water mark, not yet flushed
    await turn();
    await turn();
    started[1].done();
    await turn();
    await turn();
    expect(started.map((s) => s.req.id)).toEqual([0, 1]);
    ws.flushAll();
    await turn();
    expect(started.map((s) => s.req.id)).toEqual([0, 1, 2]);
  });

  it('drops a client whose unsent answers and events pass sendHardCap, naming why', async () => {
    const ws = new ScriptedSocket();
    const problems: string[] = [];
    const conn = new ApiConnection(ws as unknown as WebSocket, manualDispatch().dispatch, LIMITS, (p) => problems.push(p));
    for (let i = 0; i < 6; i++) conn.push('e'.repeat(1000));
    expect(ws.terminated).toBe(true);
    expect(problems).toEqual(['client stopped reading (5000 bytes unsent, cap 5000); dropping the connection']);
  });

  it('forgets a closed client\'s queued requests and discards answers to the ones running', async () => {
    const ws = new ScriptedSocket();
    const { started, dispatch } = manualDispatch();
    const conn = new ApiConnection(ws as unknown as WebSocket, dispatch, LIMITS, () => {});
    for (let i = 0; i < 4; i++) ws.request(i);
    ws.readyState = 3;
    ws.emit('close');
    expect(conn.load.queued).toBe(0);
    started[0].done();
    started[1].done();
    await turn();
    await turn();
    expect(started).toHaveLength(2);
    expect(ws.sent).toEqual([]);
  });

  it('reports a protocol error by name and keeps the server out of it', () => {
    const ws = new ScriptedSocket();
    const problems: string[] = [];
    new ApiConnection(ws as unknown as WebSocket, manualDispatch().dispatch, LIMITS, (p) => problems.push(p));
    ws.emit('error', Object.assign(new RangeError('Invalid WebSocket frame: RSV1 must be clear'), { code: 'WS_ERR_UNEXPECTED_RSV_1' }));
    expect(problems).toEqual(['Invalid WebSocket frame: RSV1 must be clear (WS_ERR_UNEXPECTED_RSV_1); closing']);
  });
});
