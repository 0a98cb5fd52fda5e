// defaultTopology(name): one of the built-in topologies, validated.

import { DEFAULT_TOPOLOGIES, DEFAULT_TOPOLOGY_NAMES, type DefaultTopologyName } from './defaults/index.js';
import { formatTopologyError, loadTopology } from './load.js';
import type { Topology } from './types.js';

export const isDefaultTopologyName = (name: string): name is DefaultTopologyName =>
  (DEFAULT_TOPOLOGY_NAMES as string[]).includes(name);

/** A built-in topology. The defaults are fixed data, so a failure here is a programming error (thrown). */
export const defaultTopology = (name: DefaultTopologyName): Topology => {
  const r = loadTopology(structuredClone(DEFAULT_TOPOLOGIES[name]));
  if (!r.ok) throw new Error(`built-in topology ${name} is invalid: ${r.errors.map(formatTopologyError).join('; ')}`);
  return r.topology;
};
