// Simulated silicon for the CLI and the demo (DESIGN.md 3): the topology's Type 3 endpoint (sim-endpoint.ts)
// with a silicon profile, served over UARTBone on a socat pty pair or over Etherbone on a loopback TCP port,
// with the default device map (config, BARs, and the device's memory by DPA) — so `uartbone:<path>@<baud>` or `etherbone+tcp://127.0.0.1:<port>` reaches it
// with no map file.

import { WallClock } from '../../common/clock.js';
import { SILICON_PROFILES } from '../../hil/sim/profiles.js';
import { startEtherboneSim } from '../../hil/sim/etherbone-sim.js';
import type { SimFault } from '../../hil/sim/sim-faults.js';
import { startUartboneSim } from '../../hil/sim/uartbone-sim.js';
import { defaultEndpointMap } from './device-maps.js';
import { simEndpoint } from './sim-endpoint.js';

export const SIM_PROFILES = (): string[] => Object.keys(SILICON_PROFILES);

/** Which endpoint the simulator is: a built-in topology's node (default: the first endpoint of 'single'). */
interface SimDevice {
  topology?: string;
  node?: string;
}

export type SimRequest =
  | ({ kind: 'uartbone'; profile?: string; baud?: number; paced?: boolean } & SimDevice)
  | ({ kind: 'etherbone'; profile?: string; port?: number } & SimDevice);

export interface RunningSim {
  /** The link URI a host opens. */
  uri: string;
  /** What to tell a user (pty path or host:port). */
  where: string;
  profile: string;
  /** Link faults on demand (hil/sim/sim-faults.ts): garbage, dropped bytes, stalls, disconnect after N requests. */
  inject(f: SimFault): void;
  close(): Promise<void>;
}

export async function startSim(req: SimRequest): Promise<RunningSim> {
  const profile = req.profile ?? 'ideal';
  if (!Object.hasOwn(SILICON_PROFILES, profile)) throw new Error(`unknown silicon profile "${profile}" (known: ${SIM_PROFILES().join(', ')})`);
  const { fn: model, memory } = simEndpoint(new WallClock(), req.topology, req.node);
  const map = defaultEndpointMap();
  if (req.kind === 'uartbone') {
    const baud = req.baud ?? 115_200;
    const sim = await startUartboneSim({ model, memory, map, pty: true, baud, paced: req.paced ?? false, profile });
    return { uri: `uartbone:${sim.path}@${baud}`, where: sim.path, profile, inject: (f) => sim.inject(f), close: () => sim.close() };
  }
  const sim = await startEtherboneSim({ model, memory, map, port: req.port ?? 0, host: '127.0.0.1', transport: 'tcp', profile });
  return { uri: sim.uri, where: `${sim.host}:${sim.port}`, profile, inject: (f) => sim.inject(f), close: () => sim.close() };
}
