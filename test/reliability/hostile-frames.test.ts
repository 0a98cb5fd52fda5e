// Issue 16, item 1: a malformed WebSocket frame used to kill `serve` (no 'error' listener on the socket).
// Every protocol error of RFC 6455 must close that client alone, with the status code 7.4.1 gives, while the
// server keeps answering a health call and a client that was already connected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { TestClient } from '../api/ws-test-client.js';
import { frame, rawUpgrade, upgradeHeaders, type FrameSpec } from './raw-websocket.js';
import { startServedBench, type ServedBench } from './served-bench.js';

const TEXT = 0x1;
const CONT = 0x0;
const CLOSE = 0x8;
const PING = 0x9;
const PROTOCOL_ERROR = 1002;
const INVALID_DATA = 1007;
const TOO_BIG = 1009;
const CAP = 128 << 20;

const closeBody = (code: number, reason = Buffer.alloc(0)): Buffer => Buffer.concat([Buffer.from([code >> 8, code & 0xff]), reason]);

/** Each case: the frames sent after a good handshake and the close code the server must answer with. */
const CASES: [string, FrameSpec[], number][] = [
  ['an unmasked client frame (5.1)', [{ opcode: TEXT, payload: Buffer.from('{}'), mask: false }], PROTOCOL_ERROR],
  ['RSV1 set without an extension (5.2)', [{ opcode: TEXT, rsv: 0b100, payload: Buffer.from('{}') }], PROTOCOL_ERROR],
  ['RSV2 set', [{ opcode: TEXT, rsv: 0b010, payload: Buffer.from('{}') }], PROTOCOL_ERROR],
  ['RSV3 set', [{ opcode: TEXT, rsv: 0b001, payload: Buffer.from('{}') }], PROTOCOL_ERROR],
  ['a reserved data opcode (0x3)', [{ opcode: 0x3, payload: Buffer.from('x') }], PROTOCOL_ERROR],
  ['a reserved control opcode (0xB)', [{ opcode: 0xb }], PROTOCOL_ERROR],
  ['invalid UTF-8 in a text frame (8.1)', [{ opcode: TEXT, payload: Buffer.from([0x7b, 0xc3, 0x28, 0x7d]) }], INVALID_DATA],
  ['invalid UTF-8 split across fragments', [{ opcode: TEXT, fin: false, payload: Buffer.from([0xe2, 0x82]) }, { opcode: CONT, payload: Buffer.from([0x28]) }], INVALID_DATA],
  ['a fragmented control frame (5.5)', [{ opcode: PING, fin: false, payload: Buffer.from('p') }], PROTOCOL_ERROR],
  ['a control frame over 125 bytes (5.5)', [{ opcode: PING, payload: Buffer.alloc(126) }], PROTOCOL_ERROR],
  ['a continuation with nothing to continue (5.4)', [{ opcode: CONT, payload: Buffer.from('x') }], PROTOCOL_ERROR],
  ['a new message inside a fragmented one (5.4)', [{ opcode: TEXT, fin: false, payload: Buffer.from('{') }, { opcode: TEXT, payload: Buffer.from('{}') }], PROTOCOL_ERROR],
  ['a close frame with a 1-byte body (5.5.1)', [{ opcode: CLOSE, payload: Buffer.from([3]) }], PROTOCOL_ERROR],
  ['a close frame with a reserved code (7.4.2)', [{ opcode: CLOSE, payload: closeBody(1005) }], PROTOCOL_ERROR],
  ['a close reason that is not UTF-8', [{ opcode: CLOSE, payload: closeBody(1000, Buffer.from([0xff])) }], INVALID_DATA],
  ['a frame declaring more bytes than the cap', [{ opcode: TEXT, declaredLength: CAP + 1, payload: Buffer.from('{') }], TOO_BIG],
  ['a 64-bit length with the top bit set (5.2)', [{ opcode: TEXT, declaredLength: 2 ** 53, payload: Buffer.from('{') }], TOO_BIG],
  ['fragments adding up to more than the cap', [{ opcode: TEXT, fin: false, payload: Buffer.from('{') }, { opcode: CONT, declaredLength: CAP, payload: Buffer.from('x') }], TOO_BIG],
];

describe('hostile WebSocket frames close one client, never the server', () => {
  let bench: ServedBench;
  let bystander: TestClient;
  beforeAll(async () => {
    bench = await startServedBench();
    bystander = await bench.client();
  });
  afterAll(async () => {
    bystander?.close();
    expect(await bench.stop()).toBe(0);
  });

  it.each(CASES)('%s', async (_name, frames, code) => {
    const c = await rawUpgrade(bench.port, '/api', upgradeHeaders(bench.port, bench.cookie));
    expect(c.status).toBe('HTTP/1.1 101 Switching Protocols');
    for (const f of frames) c.send(frame(f));
    expect(await c.closed).toBe(code);
    expect(await bench.health()).toBe('cxl-bench');
    expect((await bystander.call('sessions.list', {})).ok).toBe(true);
    expect(bench.exited()).toBe(false);
  });

  it('a binary frame and a frame that is not JSON get a named error and the connection stays', async () => {
    const c = await bench.client();
    const answers: unknown[] = [];
    c.ws.on('message', (d) => answers.push(JSON.parse(String(d))));
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    c.ws.send('not json');
    c.ws.send(JSON.stringify({ id: 'x', call: 'app.info' }));
    expect((await c.call('app.info', {})).ok).toBe(true);
    expect(answers.slice(0, 3)).toEqual([
      { id: -1, ok: false, error: { code: 'bad-input', message: 'frames must be JSON text' } },
      { id: -1, ok: false, error: { code: 'bad-input', message: 'frame is not JSON' } },
      { id: -1, ok: false, error: { code: 'bad-input', message: 'id: must be a number', field: 'id' } },
    ]);
    c.close();
  });

  it('trace.import of 50 M non-ASCII characters (under the 64 M-character check, 150 MB of UTF-8) closes that client with 1009', async () => {
    const ws = new WebSocket(bench.wsUrl, { headers: { cookie: bench.cookie } });
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.on('error', () => {}); // the server resets while the client is still writing
    const text = '€'.repeat(50_000_000);
    ws.send(`{"id":1,"call":"trace.import","input":{"sessionId":1,"format":"qemu","text":"${text}"}}`);
    expect(await closed).toBe(TOO_BIG);
    expect(await bench.health()).toBe('cxl-bench');
    expect(bench.stderr()).toMatch(/client 127\.0\.0\.1:\d+: Max payload size exceeded \(WS_ERR_UNSUPPORTED_MESSAGE_LENGTH\); closing/);
  });

  it('every protocol error was named on stderr, and nothing was thrown', () => {
    expect(bench.stderr()).toContain('RSV1 must be clear (WS_ERR_UNEXPECTED_RSV_1)');
    expect(bench.stderr()).toContain('MASK must be set (WS_ERR_EXPECTED_MASK)');
    expect(bench.stderr()).toContain('(WS_ERR_INVALID_UTF8)');
    expect(bench.stderr()).not.toMatch(/Unhandled|at .*\.js:\d+/);
  });
});
