// Topology files for the topology-files tests, generated from the built-in 'single' (so a saved topology's
// endpoint is the same device the simulator serves, and runs differ only by what the test changes).

import { DEFAULT_TOPOLOGIES } from '../../emulator/topology/defaults/index.js';

export const EP = 'hb0.rp0.ep0';

type Backend = { link: string; map: string | Record<string, unknown> };

/** 'single' under another name, its endpoint optionally with a hardware backend and another serial. */
export function boardTopology(name: string, opts: { backend?: Backend; serial?: string } = {}): Record<string, unknown> {
  const t = structuredClone(DEFAULT_TOPOLOGIES.single) as unknown as {
    name: string;
    hostBridges: { rootPorts: { endpoint: Record<string, unknown> }[] }[];
  };
  t.name = name;
  const ep = t.hostBridges[0]!.rootPorts[0]!.endpoint;
  if (opts.serial) ep.serial = opts.serial;
  if (opts.backend) ep.backend = opts.backend;
  return t as unknown as Record<string, unknown>;
}

export const boardJson = (name: string, opts: Parameters<typeof boardTopology>[1] = {}): string => JSON.stringify(boardTopology(name, opts), null, 2);
