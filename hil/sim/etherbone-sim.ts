// Simulated silicon behind Etherbone: a loopback TCP server speaking litex_server's framing (one record per
// packet; read replies carry the values in a write record with base address 0, in request order; probes are
// not answered), and a UDP server behaving as LiteEth's Etherbone core (answers probe with probe-reply; read
// replies echo the base return address as the write base). Serves any FunctionModel through a DeviceMap.

import { createServer, type Server, type Socket } from 'node:net';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import type { FunctionModel } from '../../common/function-model.js';
import type { DeviceMap } from '../device-map.js';
import { decodeEbPacket, ebPacket, ebRecord, ebTcpFrameLength, encodeEbPacket, type EbPacket } from '../etherbone/etherbone-codec.js';
import { busModel, type BusModel } from './bus-model.js';
import { withSiliconProfile, type SiliconProfile } from './profiles.js';
import { SimFaultState, type SimFault } from './sim-faults.js';

export interface EtherboneSimOptions {
  model: FunctionModel;
  map: DeviceMap;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  transport?: 'tcp' | 'udp';
  profile?: string | SiliconProfile;
}

export interface EtherboneSim {
  readonly host: string;
  readonly port: number;
  readonly transport: 'tcp' | 'udp';
  /** The URI a link opens to reach this simulator. */
  readonly uri: string;
  readonly counters: { requests: number };
  inject(f: SimFault): void;
  /** TCP: drop every client connection now. */
  disconnect(): void;
  close(): Promise<void>;
}

/** Execute one packet's records on the bus; returns the reply packet, or null when nothing is read. */
function serve(bus: BusModel, p: EbPacket, echoReturnBase: boolean): EbPacket | null {
  if (p.probe) return ebPacket([], { probeReply: true });
  const out = [];
  for (const r of p.records) {
    r.writes.forEach((v, i) => bus.write32((r.writeBase + 4 * i) >>> 0, v));
    if (r.reads.length) out.push(ebRecord({ writeBase: echoReturnBase ? r.returnBase : 0, writes: r.reads.map((a) => bus.read32(a)) }));
  }
  return out.length ? ebPacket(out) : null;
}

export async function startEtherboneSim(o: EtherboneSimOptions): Promise<EtherboneSim> {
  const host = o.host ?? '127.0.0.1';
  const transport = o.transport ?? 'tcp';
  const model = o.profile ? withSiliconProfile(o.model, o.profile) : o.model;
  const bus = busModel(model, o.map);
  const faults = new SimFaultState();
  const counters = { requests: 0 };

  if (transport === 'udp') {
    const sock: UdpSocket = createSocket('udp4');
    await new Promise<void>((r) => sock.bind(o.port ?? 0, host, () => r()));
    sock.on('message', (m, rinfo) => {
      let p: EbPacket;
      try {
        p = decodeEbPacket(m);
      } catch {
        return; // the core ignores what is not Etherbone
      }
      if (!p.probe) counters.requests++;
      const reply = serve(bus, p, true);
      if (!reply) return;
      const shaped = faults.shapeReply(encodeEbPacket(reply));
      if (shaped.bytes.length < encodeEbPacket(reply).length && !p.probe) return; // dropped datagram
      setTimeout(() => sock.send(shaped.bytes, rinfo.port, rinfo.address), shaped.delayMs);
    });
    const port = sock.address().port;
    return {
      host,
      port,
      transport,
      uri: `etherbone+udp://${host}:${port}`,
      counters,
      inject: (f) => faults.inject(f),
      disconnect: () => undefined,
      close: () => new Promise<void>((r) => sock.close(() => r())),
    };
  }

  const clients = new Set<Socket>();
  const server: Server = createServer((c) => {
    clients.add(c);
    c.setNoDelay(true);
    c.on('close', () => clients.delete(c));
    c.on('error', () => undefined);
    let buf = new Uint8Array(0);
    let chain = Promise.resolve();
    c.on('data', (d: Buffer) => {
      const all = new Uint8Array(buf.length + d.length);
      all.set(buf);
      all.set(d, buf.length);
      let off = 0;
      for (;;) {
        const len = ebTcpFrameLength(all.subarray(off), all.length - off);
        if (len === 0) break;
        const frame = all.slice(off, off + len);
        off += len;
        let p: EbPacket;
        try {
          p = decodeEbPacket(frame);
        } catch {
          c.destroy(); // litex_server drops a client it cannot decode
          return;
        }
        counters.requests++;
        const reply = serve(bus, p, false);
        const drop = faults.countRequest();
        if (reply) {
          const shaped = faults.shapeReply(encodeEbPacket(reply));
          // Replies stay in order: a stalled reply holds back the ones after it.
          chain = chain.then(() => new Promise<void>((r) => setTimeout(() => (c.destroyed || c.write(shaped.bytes), r()), shaped.delayMs)));
        }
        if (drop) chain = chain.then(() => void c.destroy());
      }
      buf = all.slice(off);
    });
  });
  await new Promise<void>((r) => server.listen(o.port ?? 0, host, () => r()));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    host,
    port,
    transport,
    uri: `etherbone+tcp://${host}:${port}`,
    counters,
    inject: (f) => faults.inject(f),
    disconnect: () => clients.forEach((c) => c.destroy()),
    close: () =>
      new Promise<void>((r) => {
        clients.forEach((c) => c.destroy());
        server.close(() => r());
      }),
  };
}
