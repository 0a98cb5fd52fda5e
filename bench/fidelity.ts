// Fidelity figures against the real QEMU 7.2 + Linux 6.1 captures (main/fidelity/measure.ts): per topology, the
// lowest per-device probe alignment and value equality of the 6.1 kernel profile, the share of the devices'
// reads the qemu-7.2 profile answers as QEMU did, and whether the region's decoder writes equal the real ones
// (1) or not (0). `npm run bench -- fidelity`.

import { measureFixture, type FidelityFigures } from '../main/fidelity/measure.js';
import { QEMU_FIXTURE_NAMES } from '../main/qemu/qemu-fixture.js';
import type { Benchmark } from './run.js';

const cache = new Map<string, Promise<FidelityFigures>>();
const of = (n: string) => {
  let p = cache.get(n);
  if (!p) cache.set(n, (p = measureFixture(n, '6.1', 'qemu-7.2')));
  return p;
};

export const benchmarks: Benchmark[] = QEMU_FIXTURE_NAMES.flatMap((n) => [
  { name: `fidelity.${n}.probe_aligned_pct`, unit: '%', run: async () => (await of(n)).probeMinAlignedPct },
  { name: `fidelity.${n}.probe_values_pct`, unit: '%', run: async () => (await of(n)).probeMinValuesPct },
  { name: `fidelity.${n}.replay_device_pct`, unit: '%', run: async () => (await of(n)).replayDevicePct },
  { name: `fidelity.${n}.replay_machine_pct`, unit: '%', run: async () => (await of(n)).replayMachinePct },
  { name: `fidelity.${n}.region_equal`, unit: 'bool', run: async () => ((await of(n)).region?.equal ? 1 : 0) },
]);
