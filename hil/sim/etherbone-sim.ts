// Simulated silicon behind Etherbone: a loopback TCP server speaking litex_server's framing (one record per
// packet; read replies carry the values in a write record with base address 0, in request order; probes are
// not answered), and a UDP server behaving as LiteEth's Etherbone core (answers probe with probe-reply; read
// replies echo the base return address as the write base). Serves any FunctionModel through a DeviceMap.

import { createServer, type Server, type Socket } from 'node:net';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import type { FunctionModel } from '../../common/function-model.js';
import type { DeviceMap } from '../device-map.js';
import { decodeEbPacket, ebPacket, ebRecord, ebTcpFrameLength, encodeEbPacket, type EbPacket } from '../etherbone/etherbone-codec.js';
import { busModel, type BusMemory, type BusModel } from './bus-model.js';
import { withSiliconProfile, type SiliconProfile } from './profiles.js';
import { SimFaultState, type SimFault } from './sim-faults.js';

export interface EtherboneSimOptions {
  model: FunctionModel;
  map: DeviceMap;
  /** The device's memory, served through the map's 'mem' window (bus-model.ts); absent: that window reads all-ones. */
  memory?: BusMemory;
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
  const bus = busModel(model, o.map, o.memory);
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
      const bytes = encodeEbPacket(reply);
      const shaped = faults.shapeReply(bytes);
      if (shaped.bytes.length < bytes.length && !p.probe) return; // dropped datagram
      // No timer unless a stall was injected: a 0 ms timer still waits ~1 ms (see the TCP server below).
      if (shaped.delayMs === 0) sock.send(shaped.bytes, rinfo.port, rinfo.address);
      else setTimeout(() => sock.send(shaped.bytes, rinfo.port, rinfo.address), shaped.delayMs);
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
    c.on('error', () => undefined);
    let buf: Uint8Array = new Uint8Array(0);
    // Replies leave in request order. With nothing held back (no stall injected) a reply is written in the
    // same turn as its request: a timer here, even of 0 ms, costs ~1 ms per round trip (Node clamps timers to
    // 1 ms), which was the whole of the 1.2 ms loopback read latency.
    const held: Array<{ bytes: Uint8Array | null; delayMs: number }> = [];
    let draining: ReturnType<typeof setTimeout> | null = null;
    c.on('close', () => {
      clients.delete(c);
      if (draining) clearTimeout(draining); // a stalled reply dies with its connection
      held.length = 0;
    });
    const drain = (): void => {
      if (draining) return;
      const next = held[0];
      if (!next) return;
      draining = setTimeout(() => {
        draining = null;
        held.shift();
        if (next.bytes === null) c.destroy();
        else if (!c.destroyed) c.write(next.bytes);
        drain();
      }, next.delayMs);
    };
    const emit = (bytes: Uint8Array | null, delayMs: number): void => {
      if (held.length === 0 && delayMs === 0) {
        if (bytes === null) c.destroy();
        else if (!c.destroyed) c.write(bytes);
        return;
      }
      held.push({ bytes, delayMs });
      drain();
    };
    c.on('data', (d: Buffer) => {
      let all: Uint8Array;
      if (buf.length === 0) all = d;
      else {
        all = new Uint8Array(buf.length + d.length);
        all.set(buf);
        all.set(d, buf.length);
      }
      let off = 0;
      for (;;) {
        const len = ebTcpFrameLength(all.subarray(off), all.length - off);
        if (len === 0) break;
        const frame = all.subarray(off, off + len);
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
          emit(shaped.bytes, shaped.delayMs);
        }
        if (drop) emit(null, 0);
      }
      // Keep the unparsed tail (copied: `d` is Node's buffer, reused after this callback).
      buf = off === all.length ? new Uint8Array(0) : all.slice(off);
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
