// Hardware-in-the-loop link benchmarks (DESIGN.md 7: UARTBone bursts against a paced simulator reach >= 90 %
// of the link's byte-rate limit). The simulator runs on one end of a socat pty pair and paces both directions
// at baud/10 bytes/s; the link reads register bursts (split into 255-word requests, pipelined as the gateware
// allows). Efficiency = reply payload bytes per second / (baud / 10). Run: `npm run bench -- uartbone`.

import { startUartboneSim } from '../hil/sim/uartbone-sim.js';
import { UartboneLink } from '../hil/uartbone/uartbone-link.js';
import { packedDeviceMap } from '../hil/device-map.js';
import { createType3, defaultType3Config } from '../emulator/type3/index.js';
import { VirtualClock } from '../common/clock.js';

export interface Benchmark {
  name: string;
  unit: string;
  run(): Promise<number> | number;
}

async function withLink<T>(baud: number, body: (link: UartboneLink, bar0: number) => Promise<T>): Promise<T> {
  const model = createType3(defaultType3Config(), new VirtualClock()).fn;
  const map = packedDeviceMap(model.barSizes());
  const sim = await startUartboneSim({ model, map, pty: true, baud, paced: true });
  const link = new UartboneLink({ path: sim.path, baud, timeoutMs: 2000 });
  await link.open();
  try {
    return await body(link, map.bar0.base);
  } finally {
    await link.close();
    await sim.close();
  }
}

/** Fraction of the byte-rate limit reached by register burst reads at this baud rate (best of 2). */
function efficiency(baud: number, seconds: number): Promise<number> {
  return withLink(baud, async (link, base) => {
    const words = Math.max(255, Math.round((seconds * baud) / 10 / 4 / 255) * 255);
    await link.readBurst(base, 255); // warm-up
    let best = 0;
    for (let k = 0; k < 2; k++) {
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
];
