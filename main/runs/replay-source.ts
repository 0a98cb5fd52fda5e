// The input of a replay run (host/sequences/replay.ts), assembled inside the run worker: the source run's
// stored trace, the node map (explicit pairs; source nodes named by BDF — a QEMU log's devices the importer
// had no name for — mapped to the node firmware enumeration puts at that BDF in this run's topology), and,
// for a QEMU log (its pci_cfg lines carry no size), config widths from the register declarations of this
// run's layout (host/core/cfg-width.ts).

import type Database from 'better-sqlite3';
import { VirtualClock } from '../../common/clock.js';
import type { TraceSink } from '../../common/trace-sink.js';
import { bdf } from '../../common/units.js';
import { resolveBlock } from '../../emulator/spec/blocks.js';
import { EmulatedPlatform } from '../../emulator/topology/platform.js';
import { inferCfgWidth } from '../../host/core/cfg-width.js';
import { createReplaySequence, type ReplayInput } from '../../host/sequences/replay.js';
import type { Sequence } from '../../host/sequence.js';
import { layoutIndex } from '../../trace/layout-index.js';
import { EventChunksRepo } from '../store/event-chunks-repo.js';
import { RunsRepo } from '../store/runs-repo.js';
import { StoredTraceSource } from '../store/stored-trace.js';
import { emulatedPlatform } from './emulated-endpoints.js';
import type { RunEnvironment } from './environment.js';
import type { RunInit } from './messages.js';

const silentSink: TraceSink = { nodeId: () => 0, access: () => {}, mailbox: () => {}, step: () => {} };
const BDF = /^([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/i;

/** A run imported from a QEMU trace log: its config widths were guessed, not recorded. */
export const isQemuImport = (run: { sequence: string; targets: string }): boolean => run.sequence === 'import' && run.targets === 'imported qemu';

/** Source nodes named "bb:dd.f" → the node at that BDF once `topology` is enumerated like firmware. */
export function bdfNodeMap(sourceNodes: readonly string[], topology: string, init: Pick<RunInit, 'profile'>): Record<string, string> {
  const out: Record<string, string> = {};
  const named = sourceNodes.filter((n) => BDF.test(n));
  if (!named.length) return out;
  let platform;
  try {
    platform = emulatedPlatform(topology, new VirtualClock(), silentSink, init.profile ? { profile: init.profile } : {}).platform;
  } catch {
    return out; // not an emulated topology: no BDFs to go by
  }
  if (!(platform instanceof EmulatedPlatform)) return out;
  for (const n of named) {
    const m = BDF.exec(n)!;
    const f = platform.findFunction(bdf(parseInt(m[1], 16), parseInt(m[2], 16), Number(m[3])));
    if (f) out[n] = f.path;
  }
  return out;
}

/** The replay sequence for `init.replay` over `env`, reading the source from `db`. Throws when there is no source. */
export function replaySequenceFor(db: Database.Database, init: RunInit, env: RunEnvironment): Sequence {
  const binding = init.replay!;
  const source = new RunsRepo(db).get(binding.sourceRunId);
  if (!source) throw new Error(`replay: source run ${binding.sourceRunId} does not exist`);
  const chunks = new EventChunksRepo(db);
  const nodeMap = { ...bdfNodeMap(chunks.nodes(source.id), init.topology, init), ...(binding.nodeMap ?? {}) };
  const input: ReplayInput = {
    source: new StoredTraceSource(chunks, source.id, source.eventCount),
    nodeMap,
    label: `run ${source.id} (${source.sequence} on ${source.topology})`,
  };
  if (isQemuImport(source)) {
    const idx = layoutIndex(env.layout, resolveBlock);
    input.cfgWidth = (node, offset, value) => {
      const hit = idx.lookup(node, 'cfg', offset);
      return inferCfgWidth(offset, value, hit ? { base: hit.base, width: hit.register.width } : undefined);
    };
  }
  return createReplaySequence(input);
}
