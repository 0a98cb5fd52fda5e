// Hardware-in-the-loop link benchmarks (DESIGN.md 7: UARTBone bursts against a paced simulator reach >= 90 %
// of the link's byte-rate limit). The simulator runs on one end of a socat pty pair and paces both directions
// at baud/10 bytes/s; the link reads register bursts (split into 255-word requests, pipelined as the gateware
// allows). Efficiency = reply payload bytes per second / (baud / 10). Run: `npm run bench -- uartbone`.
// Etherbone: single 32-bit reads over loopback TCP to the simulator in its own process, as litex_server is
// (`npm run bench -- etherbone`); each read is one round trip, which is what a host sequence pays per access.

import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UartboneLink } from '../hil/uartbone/uartbone-link.js';
import { EtherboneTcpLink } from '../hil/etherbone/etherbone-tcp-link.js';
import { parseLinkUri } from '../hil/link.js';
import type { DeviceMap } from '../hil/device-map.js';
import { HardwareEndpoint } from '../hil/hardware-endpoint.js';
import { dpa } from '../common/units.js';

export interface Benchmark {
  name: string;
  unit: string;
  run(): Promise<number> | number;
}

/** Start `hil/sim/cli.ts` with these arguments in its own process; resolves with the URI and map it prints. */
async function withSimProcess<T>(args: string[], body: (uri: string, map: DeviceMap) => Promise<T>): Promise<T> {
  const here = dirname(fileURLToPath(import.meta.url));
  const cli = join(here, '..', 'hil', 'sim', 'cli.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const nl = out.indexOf('\n');
        if (nl >= 0) resolve(out.slice(0, nl));
      });
      child.once('exit', (code) => reject(new Error(`simulator exited (${code})`)));
    });
    const { link: uri, map } = JSON.parse(line) as { link: string; map: DeviceMap };
    return await body(uri, map);
  } finally {
    child.kill('SIGTERM');
  }
}

/**
 * The simulator runs in its own process (`hil/sim/cli.ts`), as a board is separate hardware: the link's event
 * loop and the simulator's pacing timers do not wait on each other.
 */
function withLink<T>(baud: number, body: (link: UartboneLink, bar0: number) => Promise<T>): Promise<T> {
  return withSimProcess(['uartbone', '--paced', '--baud', String(baud)], async (uri, map) => {
    const u = parseLinkUri(uri);
    if (u.transport !== 'uartbone') throw new Error(`unexpected ${uri}`);
    const link = new UartboneLink({ path: u.path, baud, timeoutMs: 2000 });
    await link.open();
    try {
      return await body(link, map.bar0.base);
    } finally {
      await link.close();
    }
  });
}

function withEtherbone<T>(body: (link: EtherboneTcpLink, bar0: number) => Promise<T>): Promise<T> {
  return withSimProcess(['etherbone', '--port', '0'], async (uri, map) => {
    const u = parseLinkUri(uri);
    if (u.transport !== 'etherbone+tcp') throw new Error(`unexpected ${uri}`);
    const link = new EtherboneTcpLink({ host: u.host, port: u.port, timeoutMs: 2000 });
    await link.open();
    try {
      return await body(link, map.bar0.base);
    } finally {
      await link.close();
    }
  });
}

/** Mean latency (us) of single 32-bit reads, one outstanding, after a warm-up. */
function etherboneReadLatency(n: number): Promise<number> {
  return withEtherbone(async (link, base) => {
    for (let i = 0; i < 500; i++) await link.read32(base);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await link.read32(base + 4 * (i % 64));
      sum += performance.now() - t;
    }
    return (1000 * sum) / n;
  });
}

/** Single 32-bit reads per second, one outstanding (what a host sequence's awaited accesses get). */
function etherboneReadRate(n: number): Promise<number> {
  return withEtherbone(async (link, base) => {
    for (let i = 0; i < 500; i++) await link.read32(base);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await link.read32(base + 4 * (i % 64));
    return n / ((performance.now() - t0) / 1000);
  });
}

/**
 * Device memory through the map's memory window (what `region`'s memory test moves on a hardware node): MB/s of
 * 4 KiB HardwareEndpoint.memWrite / memRead chunks, each awaited, as the host's memory test issues them.
 */
function etherboneMemRate(op: 'read' | 'write', totalBytes: number): Promise<number> {
  return withSimProcess(['etherbone', '--port', '0'], async (uri, map) => {
    const u = parseLinkUri(uri);
    if (u.transport !== 'etherbone+tcp') throw new Error(`unexpected ${uri}`);
    if (!map.mem) throw new Error('the simulator map has no memory window');
    const link = new EtherboneTcpLink({ host: u.host, port: u.port, timeoutMs: 2000 });
    await link.open();
    try {
      const ep = new HardwareEndpoint(link, map, 'bench', null);
      const chunk = new Uint8Array(4096).map((_, i) => i & 0xff);
      const go = (at: number): Promise<unknown> => (op === 'write' ? ep.memWrite(dpa(at), chunk) : ep.memRead(dpa(at), chunk));
      for (let i = 0; i < 16; i++) await go(i * 4096); // warm-up
      const t0 = performance.now();
      for (let at = 0; at < totalBytes; at += 4096) await go(at);
      return totalBytes / 1e6 / ((performance.now() - t0) / 1000);
    } finally {
      await link.close();
    }
  });
}

/** Fraction of the byte-rate limit reached by register burst reads at this baud rate (best of 3). */
function efficiency(baud: number, seconds: number): Promise<number> {
  return withLink(baud, async (link, base) => {
    const words = Math.max(255, Math.round((seconds * baud) / 10 / 4 / 255) * 255);
    await link.readBurst(base, 255); // warm-up
    let best = 0;
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      const got = await link.readBurst(base, words);
      const dt = (performance.now() - t0) / 1000;
      if (got.length !== words) throw new Error('short burst');
      best = Math.max(best, (4 * words) / dt / (baud / 10));
    }
    return best;
  });
}

/** Single-word reads per second (6 bytes out + 4 in each, one outstanding at a time). */
function readRate(baud: number, n: number): Promise<number> {
  return withLink(baud, async (link, base) => {
    await link.read32(base);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await link.read32(base + 4 * (i % 64));
    return n / ((performance.now() - t0) / 1000);
  });
}

export const benchmarks: Benchmark[] = [
  { name: 'uartbone.link_efficiency.115200', unit: 'fraction of byte-rate limit', run: () => efficiency(115_200, 0.8) },
  { name: 'uartbone.link_efficiency.1M', unit: 'fraction of byte-rate limit', run: () => efficiency(1_000_000, 0.5) },
  { name: 'uartbone.read_rate.115200', unit: 'reads/s', run: () => readRate(115_200, 200) },
  { name: 'uartbone.read_rate.1M', unit: 'reads/s', run: () => readRate(1_000_000, 1000) },
  { name: 'etherbone.read_latency_us', unit: 'us (mean, single 32-bit read, TCP loopback)', run: () => etherboneReadLatency(10_000) },
  { name: 'etherbone.read_rate', unit: 'reads/s (one outstanding, TCP loopback)', run: () => etherboneReadRate(20_000) },
  { name: 'etherbone.mem_write_mbps', unit: 'MB/s (4 KiB chunks by DPA through the memory window, TCP loopback)', run: () => etherboneMemRate('write', 8 << 20) },
  { name: 'etherbone.mem_read_mbps', unit: 'MB/s (4 KiB chunks by DPA through the memory window, TCP loopback)', run: () => etherboneMemRate('read', 8 << 20) },
];
