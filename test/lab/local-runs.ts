// Local runs for the lab-store tests and benchmarks: a session in a bench's SQLite store with runs recorded
// through the run worker's real write path (RunRecorder -> RunTraceWriter), each reading its endpoint's Device
// Serial Number and answering Identify like a board would, then a synthetic trace of any length and the steps
// given.

import { VirtualClock } from '../../common/clock.js';
import { regionCode, spaceCode, statusCode } from '../../common/access.js';
import type { Verdict } from '../../common/trace-sink.js';
import type { RunStatus } from '../../main/api/contract.js';
import { RunRecorder } from '../../main/runs/run-recorder.js';
import type { Store } from '../../main/store/store.js';
import { RunTraceWriter } from '../../main/store/trace-writer.js';
import { emitSyntheticTrace } from '../../trace/synthetic.js';

export const EP = 'hb0.rp0.ep0';
export const DSN_BASE = 0x100;

export interface LocalRunSpec {
  sessionId: number;
  sequence?: string;
  events?: number;
  seed?: number;
  /** 64-bit serial as 16 hex digits (the board). */
  serial?: string;
  firmware?: string;
  /** 'emulated' or a link URI (hardware). */
  link?: string;
  steps?: { name: string; verdict: Verdict; reason?: string; evidence?: string }[];
  status?: RunStatus;
  topology?: string;
  topologyJson?: string | null;
  divergence?: number;
}

const asciiHex = (s: string, bytes: number): string => {
  let h = '';
  for (let i = 0; i < bytes; i++) h += (i < s.length ? s.charCodeAt(i) : 0).toString(16).padStart(2, '0');
  return h;
};

export function recordLocalRun(store: Store, spec: LocalRunSpec): number {
  const run = store.runs.create({ sessionId: spec.sessionId, sequence: spec.sequence ?? 'linux-probe', topology: spec.topology ?? 'single', topologyJson: spec.topologyJson ?? null });
  store.runs.setTargets(run.id, `${EP}=${spec.link ?? 'emulated'}`);
  store.runs.setLayout(run.id, [
    { node: 'hb0', kind: 'host-bridge', blocks: [] },
    { node: EP, kind: 'type3', blocks: [{ region: 'cfg', base: DSN_BASE, block: 'pci-dsn' }] },
  ]);
  const clock = new VirtualClock();
  const rec = new RunRecorder(clock, new RunTraceWriter(store.db, run.id));
  const node = rec.sink.nodeId(EP);
  const serial = BigInt(`0x${spec.serial ?? '00000000000000a1'}`);
  const [cfgS, cfgR, R, ok] = [spaceCode('cfg'), regionCode('cfg'), 0, statusCode('ok')];
  rec.sink.access(node, cfgS, cfgR, DSN_BASE + 4, 4, R, Number(serial & 0xffff_ffffn), 0, ok);
  rec.sink.access(node, cfgS, cfgR, DSN_BASE + 8, 4, R, Number(serial >> 32n), 0, ok);
  rec.sink.mailbox(node, { opcode: 0x4000, name: 'Identify Memory Device', returnCode: 0, returnName: 'Success', inputHex: '', outputHex: asciiHex(spec.firmware ?? 'fw-1.0', 16) + '00'.repeat(51) });
  for (const s of spec.steps ?? []) rec.step({ sequence: spec.sequence ?? 'linux-probe', name: s.name, verdict: s.verdict, reason: s.reason ?? `${s.name}: ${s.verdict}`, ...(s.evidence ? { evidence: s.evidence } : {}) });
  if (spec.events) emitSyntheticTrace(rec.sink, clock, { events: spec.events, seed: spec.seed ?? 1, nodes: [EP], ...(spec.divergence ? { divergence: spec.divergence } : {}) });
  rec.flush();
  const status = spec.status ?? ((spec.steps ?? []).some((s) => s.verdict === 'fail') ? 'failed' : 'passed');
  store.runs.finish(run.id, status, `${status}: synthetic`);
  return run.id;
}
