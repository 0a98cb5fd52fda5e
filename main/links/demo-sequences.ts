// Sequences for `cxl-bench demo` (loaded as an extra sequence module, main/runs/sequence-catalog.ts).
//
// `linux-probe-demo` is linux-probe with nvdimm's label read capped at 4 KiB. The full probe reads the whole
// LSA (128 KiB = 32 Ki dword payload reads, ~96 % of its accesses); over a 115200-baud UARTBone that alone is
// about half a minute (10 bytes on the wire per 32-bit read), and even a loopback simulator pays a round trip
// per read. The cap keeps the demo's hardware leg to a few seconds and changes nothing else the probe does.

import { linuxProbeRun } from '../../host/sequences/linux-probe/index.js';
import type { Sequence } from '../../host/sequence.js';

export const DEMO_SEQUENCE_ID = 'linux-probe-demo';
export const DEMO_LSA_READ_LIMIT = 4096;

export const SEQUENCES: Sequence[] = [
  {
    id: DEMO_SEQUENCE_ID,
    title: 'Linux probe (demo: 4 KiB label read)',
    description: 'linux-probe with the nvdimm label read capped at 4 KiB, so it runs in seconds over a serial link.',
    run: (ctx) => linuxProbeRun(ctx, { lsaReadLimit: DEMO_LSA_READ_LIMIT }),
  },
];

/** The module's file URL, for createServices({ sequenceModules }). */
export const DEMO_SEQUENCES_MODULE = import.meta.url;
