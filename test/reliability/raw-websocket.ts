// A WebSocket client at the byte level, to send what no well-behaved library will: unmasked frames, RSV bits,
// reserved opcodes, invalid UTF-8, fragmented control frames, lengths over the cap (RFC 6455 5.2).
import { connect, type Socket } from 'node:net';

export interface FrameSpec {
  fin?: boolean;
  /** RSV1..3 as bits 0b100, 0b010, 0b001. */
  rsv?: number;
  opcode: number;
  payload?: Buffer;
  /** Client frames must be masked (5.3); false sends it bare. */
  mask?: boolean;
  /** Length written in the header when it should differ from the payload's (a declared oversize frame). */
  declaredLength?: number;
}

export function frame(f: FrameSpec): Buffer {
  const payload = f.payload ?? Buffer.alloc(0);
  const len = f.declaredLength ?? payload.length;
  const mask = f.mask ?? true;
  const head: number[] = [((f.fin ?? true) ? 0x80 : 0) | ((f.rsv ?? 0) << 4) | f.opcode];
  const m = mask ? 0x80 : 0;
  if (len < 126) head.push(m | len);
  else if (len < 65536) head.push(m | 126, len >> 8, len & 0xff);
  else {
    head.push(m | 127);
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(len));
    head.push(...b);
  }
  const key = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const body = mask ? Buffer.from(payload.map((x, i) => x ^ key[i & 3])) : payload;
  return Buffer.concat([Buffer.from(head), mask ? key : Buffer.alloc(0), body]);
}

export interface RawConnection {
  socket: Socket;
  /** Status line of the handshake answer (`HTTP/1.1 101 Switching Protocols`, or a refusal) and its body. */
  status: string;
  body: string;
  send(bytes: Buffer): void;
  /** The close code the server sent (1005 when its close frame had none), or null when it dropped without one. */
  closed: Promise<number | null>;
}

/** Send an upgrade request for `target` with `headers` and read the answer. */
export function rawUpgrade(port: number, target: string, headers: Record<string, string>): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    let handshaken = false;
    let closeCode: number | null = null;
    let settleClosed!: (c: number | null) => void;
    const closed = new Promise<number | null>((r) => (settleClosed = r));
    socket.on('error', () => {});
    socket.on('close', () => {
      settleClosed(closeCode);
      if (!handshaken) reject(new Error(`closed during the handshake: ${buf.toString('latin1')}`));
    });
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (!handshaken) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        handshaken = true;
        const head = buf.subarray(0, end).toString('latin1');
        const status = head.split('\r\n')[0];
        const rest = buf.subarray(end + 4);
        buf = status.includes(' 101 ') ? rest : Buffer.alloc(0);
        resolve({ socket, status, body: status.includes(' 101 ') ? '' : rest.toString('utf8'), send: (b) => socket.write(b), closed });
      }
      // Server frames (unmasked): look for a close frame (opcode 8) and read its status code.
      while (buf.length >= 2) {
        let len = buf[1] & 0x7f;
        let off = 2;
        if (len === 126) {
          if (buf.length < 4) return;
          len = buf.readUInt16BE(2);
          off = 4;
        } else if (len === 127) {
          if (buf.length < 10) return;
          len = Number(buf.readBigUInt64BE(2));
          off = 10;
        }
        if (buf.length < off + len) return;
        if ((buf[0] & 0x0f) === 8) closeCode = len >= 2 ? buf.readUInt16BE(off) : 1005;
        buf = buf.subarray(off + len);
      }
    });
    const lines = [`GET ${target} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''];
    socket.write(lines.join('\r\n'));
  });
}

/** The headers of a valid upgrade to /api on `port` with a session cookie. */
export const upgradeHeaders = (port: number, cookie: string): Record<string, string> => ({
  Host: `127.0.0.1:${port}`,
  Upgrade: 'websocket',
  Connection: 'Upgrade',
  'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
  'Sec-WebSocket-Version': '13',
  Cookie: cookie,
});
