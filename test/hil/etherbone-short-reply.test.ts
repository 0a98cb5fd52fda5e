// Issue 16: a short Etherbone reply was reported as "link is not open" (or a bare timeout). Each way a reply
// can come up short is named: too few words for the read, a frame cut off (then silence, or the server
// closing), a datagram that does not decode; and every later call on the lost link says why it was lost.
import { createSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ebPacket, ebRecord, encodeEbPacket, decodeEbPacket } from '../../hil/etherbone/etherbone-codec.js';
import { EtherboneTcpLink } from '../../hil/etherbone/etherbone-tcp-link.js';
import { EtherboneUdpLink } from '../../hil/etherbone/etherbone-udp-link.js';

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** A TCP server that answers every request frame with `reply(request)` (what a broken bridge sends). */
async function tcpServer(reply: (s: Socket, req: Uint8Array) => void): Promise<number> {
  const srv: Server = createServer((s) => {
    s.on('error', () => {});
    s.on('data', (d) => reply(s, d));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => srv.close(r)));
  return (srv.address() as { port: number }).port;
}

async function tcpLink(port: number): Promise<EtherboneTcpLink> {
  const link = new EtherboneTcpLink({ host: '127.0.0.1', port, timeoutMs: 300 });
  await link.open();
  closers.push(() => link.close());
  return link;
}

const wordsReply = (words: number[]): Uint8Array => encodeEbPacket(ebPacket([ebRecord({ writeBase: 0, writes: words })]));

describe('EtherboneTcpLink names a short reply', () => {
  it('fewer words than the read asked for', async () => {
    const link = await tcpLink(await tcpServer((s) => s.write(wordsReply([1]))));
    await expect(link.readBurst(0, 4)).rejects.toThrow(/link lost: short reply: 1 word\(s\) for a read of 4 \(stream out of step\)$/);
    await expect(link.read32(0)).rejects.toThrow(/link is not open \(lost: short reply: 1 word\(s\) for a read of 4 \(stream out of step\)\)$/);
  });

  it('a frame cut off, then silence', async () => {
    const link = await tcpLink(await tcpServer((s) => s.write(wordsReply([0x12345678]).subarray(0, 18))));
    await expect(link.read32(0)).rejects.toThrow(/link lost: short reply: 18 of the 20 bytes of an Etherbone frame, then nothing for 300 ms$/);
  });

  it('a frame cut off inside its header, then the server closes', async () => {
    const link = await tcpLink(await tcpServer((s) => s.end(wordsReply([7]).subarray(0, 8))));
    await expect(link.read32(0)).rejects.toThrow(/link lost: short reply: the server closed the connection after 8 byte\(s\) of a frame's 12-byte header$/);
    await expect(link.write32(0, 1)).rejects.toThrow(/link is not open \(lost: short reply: the server closed/);
  });

  it('a whole reply still reads (no false alarm)', async () => {
    const link = await tcpLink(await tcpServer((s) => s.write(wordsReply([0xcafe]))));
    expect(await link.read32(0)).toBe(0xcafe);
  });
});

describe('EtherboneUdpLink names a short reply in its timeout', () => {
  it('a datagram too short to decode, then nothing', async () => {
    const core = createSocket('udp4');
    core.on('message', (m, from) => {
      const p = decodeEbPacket(m);
      // Answer the open probe properly, every read with a truncated datagram.
      const out = p.probe ? encodeEbPacket(ebPacket([], { probeReply: true })) : wordsReply([1]).subarray(0, 14);
      core.send(out, from.port, from.address);
    });
    await new Promise<void>((r) => core.bind(0, '127.0.0.1', r));
    closers.push(() => new Promise<void>((r) => core.close(() => r())));
    const link = new EtherboneUdpLink({ host: '127.0.0.1', port: core.address().port, timeoutMs: 200 });
    await link.open();
    closers.push(() => link.close());
    await expect(link.read32(0)).rejects.toThrow(/no reply to a read of 1 word\(s\) in 200 ms; the last datagram received was not a valid reply: record at byte 8 needs 8 bytes, 2 left$/);
  });
});
