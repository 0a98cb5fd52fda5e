// What a run executes against: the targets (and platform) of a named topology, built inside the run worker
// around the run's clock and trace sink, plus the layout stored with the run so its trace decodes later.
//
// Built-in topologies (emulator/topology/defaults) are emulated end to end; a saved or file topology arrives as
// its JSON text (buildEnvironmentFromJson). 'none' is an empty bench (no targets) for sequences that bring their own stimulus (tests, synthetic loads).

import type { Clock } from '../../common/clock.js';
import type { Layout } from '../../common/layout.js';
import type { Platform } from '../../common/platform.js';
import type { Target } from '../../common/target.js';
import type { TraceSink } from '../../common/trace-sink.js';
import { formatTopologyError, loadTopology } from '../../emulator/topology/load.js';
import { BUILTIN_TOPOLOGIES, emulatedPlatform, emulatedPlatformOf, type EmulatedOptions } from './emulated-endpoints.js';

export interface RunEnvironment {
  targets: ReadonlyMap<string, Target>;
  platform: Platform | null;
  layout: Layout;
  /** Release what the environment holds (hardware links); called once when the run ends. */
  close?(): Promise<void>;
}

export type EnvironmentBuilder = (clock: Clock, sink: TraceSink, opts?: EmulatedOptions) => RunEnvironment | Promise<RunEnvironment>;

const emptyEnvironment: EnvironmentBuilder = () => ({ targets: new Map(), platform: null, layout: [] });

const BUILDERS: ReadonlyMap<string, EnvironmentBuilder> = new Map<string, EnvironmentBuilder>([
  ...BUILTIN_TOPOLOGIES.map((n): [string, EnvironmentBuilder] => [n, (clock, sink, opts) => emulatedPlatform(n, clock, sink, opts)]),
  ['none', emptyEnvironment],
]);

/** Preferred default, in order, when the caller does not name a topology. */
const DEFAULT_ORDER = ['single', 'none'];

export const topologyNames = (): string[] => [...BUILDERS.keys()];

export const defaultTopology = (): string => DEFAULT_ORDER.find((t) => BUILDERS.has(t)) ?? topologyNames()[0];

export const hasTopology = (name: string): boolean => BUILDERS.has(name);

export async function buildEnvironment(topology: string, clock: Clock, sink: TraceSink, opts?: EmulatedOptions): Promise<RunEnvironment> {
  const b = BUILDERS.get(topology);
  if (!b) throw new Error(`unknown topology "${topology}" (known: ${topologyNames().join(', ')})`);
  return b(clock, sink, opts);
}

/**
 * The environment of a topology file's JSON text (a saved topology, a `--topology FILE`, or a built-in's own
 * JSON): the emulated platform built from it. Endpoint `backend`s are not applied here — the caller turns them
 * into hardware bindings (topology-source.ts topologyBackends) that attachHardware applies.
 */
export function buildEnvironmentFromJson(json: string, clock: Clock, sink: TraceSink, opts?: EmulatedOptions): RunEnvironment {
  const r = loadTopology(json);
  if (!r.ok) throw new Error(`invalid topology: ${r.errors.map(formatTopologyError).join('; ')}`);
  return emulatedPlatformOf(r.topology, clock, sink, opts);
}

/** "hb0.rp0.ep0=emulated, ..." for the run list. */
export const targetsLabel = (targets: ReadonlyMap<string, Target>): string =>
  [...targets.values()].map((t) => `${t.node}=${t.backend}`).join(', ');
