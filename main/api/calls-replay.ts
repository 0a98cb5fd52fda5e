// runs.replay: start a run of sequence 'replay' that issues a stored run's accesses (an imported QEMU log, or
// one of our runs) against an emulated topology, so compare.run can show where the two disagree. Spread into
// the table in table.ts.

import { z } from 'zod';
import { resolveRunTargets, trackRunLinks } from '../links/run-targets.js';
import { bdfNodeMap } from '../runs/replay-source.js';
import { ApiError } from './api-error.js';
import type { CallTable } from './call-def.js';
import { hardwareTarget } from './calls-core.js';
import type { RunReplayInput } from './contract.js';
import { id } from './fields.js';
import { endpointPaths, resolveTopologySource } from '../runs/topology-source.js';

const nodeName = z.string({ error: 'must be a node name' }).min(1, { error: 'must be a node name' }).max(200, { error: 'must be a node name' });

const replayInput: z.ZodType<RunReplayInput> = z.strictObject({
  sessionId: id,
  sourceRunId: id,
  topology: z.string({ error: 'must be a topology name' }).min(1).max(100).optional(),
  topologyJson: z.string({ error: 'must be topology file text' }).max(1 << 20, { error: 'must be at most 1 MiB' }).optional(),
  profile: z.enum(['spec', 'spec-2.0', 'qemu', 'qemu-7.2'], { error: 'must be "spec", "spec-2.0", "qemu" or "qemu-7.2"' }).optional(),
  nodeMap: z.record(nodeName, nodeName, { error: 'must map source node names to node names' }).optional(),
  targets: z.record(z.string().min(1).max(200), hardwareTarget).optional(),
});

export const REPLAY_CALLS: CallTable<'runs.replay'> = {
  'runs.replay': {
    input: replayInput,
    handler: (s, i) => {
      if (!s.store.sessions.get(i.sessionId)) throw new ApiError('not-found', `session ${i.sessionId} does not exist`, 'sessionId');
      const source = s.store.runs.get(i.sourceRunId);
      if (!source) throw new ApiError('not-found', `run ${i.sourceRunId} does not exist`, 'sourceRunId');
      if (source.status === 'running' || source.status === 'queued')
        throw new ApiError('conflict', `run ${source.id} is still ${source.status}; replay it when it has finished`, 'sourceRunId');
      // A built-in or saved name, a topology file's text, else the topology the source stored (an import keeps
      // the topology it was mapped onto: a QEMU capture replays on exactly its own), else its built-in name.
      const storedJson = i.topology === undefined && i.topologyJson === undefined ? s.store.runs.topologyJson(source.id) : null;
      const json = i.topologyJson ?? storedJson ?? undefined;
      const fallback = s.hasTopology(source.topology) && source.topology !== 'none' ? source.topology : s.defaultTopology();
      const src = resolveTopologySource(
        { hasBuiltin: (n) => s.hasTopology(n), saved: s.store.topologies },
        { ...(i.topology !== undefined ? { name: i.topology } : json === undefined ? { name: fallback } : { name: source.topology }), ...(json !== undefined ? { json } : {}) },
        'runs.replay',
        fallback,
      );
      const topology = src.name;
      const hardware = src.kind === 'saved' || src.kind === 'file' ? resolveRunTargets(topology, i.targets, endpointPaths(src.topology!)) : resolveRunTargets(topology, i.targets);
      if (s.store.path === ':memory:' || s.store.path === '') throw new ApiError('conflict', 'runs need a database file, not an in-memory store');
      const nodeMap = { ...bdfNodeMap(s.store.chunks.nodes(source.id), topology, i), ...(i.nodeMap ?? {}) };
      const run = s.runs.start({
        sessionId: i.sessionId,
        sequence: 'replay',
        topology,
        replay: { sourceRunId: source.id, nodeMap },
        ...(src.json !== null && src.kind !== 'builtin' ? { topologyJson: src.json } : {}),
        ...(i.profile ? { profile: i.profile } : {}),
        ...(hardware ? { hardware } : {}),
      });
      if (hardware) trackRunLinks(s, run.id, hardware);
      s.log('info', `run ${run.id}: replay of run ${source.id} on ${topology}${i.profile ? ` (profile ${i.profile})` : ''}`, run.id);
      return { run, source, nodeMap };
    },
  },
};
