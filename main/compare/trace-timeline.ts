// A run's trace as a timeline (issue 15): per lane (node × space, and the node's mailbox commands) how many
// accesses fall in each time bucket of [fromNs, toNs], the first event of each bucket (to move the trace table
// there), and the steps as spans (from the previous step to the step). Read from the stored chunks as columns
// (no object per event), so a 1 M-event run aggregates in a fraction of a second.

import { SPACES } from '../../common/access.js';
import { decodeChunkColumns, type ChunkColumns } from '../../trace/chunk-codec.js';
import { KIND_MAILBOX, KIND_STEP, packedKind, packedOp, packedSpace } from '../../trace/packed-codes.js';
import type { TimelineLane, TraceTimeline } from '../api/contract-ui.js';
import type { Store } from '../store/store.js';

export function traceTimeline(store: Store, runId: number, buckets: number, fromNs?: number, toNs?: number): TraceTimeline {
  const run = store.runs.get(runId)!;
  const nodes = store.chunks.nodes(runId);
  // The run's time extent: times only rise, so the first and the last chunk give it.
  let startNs = Infinity;
  let endNs = -Infinity;
  let cols: ChunkColumns | undefined;
  const count = run?.eventCount ?? 0;
  for (const c of [...store.chunks.range(runId, 0, 1), ...store.chunks.range(runId, Math.max(0, count - 1), count)]) {
    cols = decodeChunkColumns(c.bytes, nodes.length, c.firstSeq, cols);
    if (cols.count === 0) continue;
    startNs = Math.min(startNs, cols.timeNs[0]!);
    endNs = Math.max(endNs, cols.timeNs[cols.count - 1]!);
  }
  if (!Number.isFinite(startNs)) return { runId, startNs: 0, endNs: 0, fromNs: 0, toNs: 0, buckets, lanes: [], firstSeq: [], steps: [], events: 0 };
  const from = Math.max(startNs, fromNs ?? startNs);
  const to = Math.max(from + 1, Math.min(endNs, toNs ?? endNs));
  const span = to - from;
  const lanes = new Map<string, TimelineLane>();
  const laneOf = (node: string, space: string): TimelineLane => {
    const key = `${node}|${space}`;
    let l = lanes.get(key);
    if (!l) lanes.set(key, (l = { node, space, counts: new Array<number>(buckets).fill(0), writes: new Array<number>(buckets).fill(0) }));
    return l;
  };
  const firstSeq = new Array<number>(buckets).fill(-1);
  const stepTimes: { seq: number; timeNs: number }[] = [];
  let events = 0;
  for (const c of store.chunks.all(runId)) {
    cols = decodeChunkColumns(c.bytes, nodes.length, c.firstSeq, cols);
    for (let i = 0; i < cols.count; i++) {
      const t = cols.timeNs[i]!;
      const code = cols.code[i]!;
      const kind = packedKind(code);
      if (kind === KIND_STEP) {
        stepTimes.push({ seq: c.firstSeq + i, timeNs: t });
        continue;
      }
      if (t < from || t > to) continue;
      const b = Math.min(buckets - 1, Math.floor(((t - from) / span) * buckets));
      if (firstSeq[b] === -1) firstSeq[b] = c.firstSeq + i;
      const node = nodes[cols.node[i]!] ?? '?';
      const lane = laneOf(node, kind === KIND_MAILBOX ? 'mailbox' : (SPACES[packedSpace(code)] ?? '?'));
      lane.counts[b]!++;
      if (kind !== KIND_MAILBOX && packedOp(code) === 1) lane.writes[b]!++;
      events++;
    }
  }
  // Steps: the steps table in order matches the step events in order.
  const detail = store.steps.list(runId);
  const steps = detail.map((s, k) => {
    const at = stepTimes[k]?.timeNs ?? endNs;
    const prev = k > 0 ? (stepTimes[k - 1]?.timeNs ?? startNs) : startNs;
    return { name: s.name, verdict: s.verdict, seq: s.eventSeq, startNs: prev, endNs: at };
  });
  const order = (l: TimelineLane) => `${l.node}|${['cfg', 'mmio', 'mem', 'mailbox'].indexOf(l.space)}`;
  return {
    runId,
    startNs,
    endNs,
    fromNs: from,
    toNs: to,
    buckets,
    lanes: [...lanes.values()].sort((a, b) => order(a).localeCompare(order(b))),
    firstSeq,
    steps,
    events: run ? events : 0,
  };
}
