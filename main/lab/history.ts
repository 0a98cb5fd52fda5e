// Verdict history of one check across board revisions and builds (issue 17): every lab run that recorded a
// step of that name, grouped by (board revision, gateware build, firmware), groups in the order they were
// first tested, with where the verdict changed — "region commit fails since rev-b build 1234".

import type { Verdict } from '../../common/trace-sink.js';
import type { LabHistory, LabHistoryGroup } from '../api/contract-lab.js';
import type { LabConnection } from './lab-connection.js';

const SEVERITY: Record<Verdict, number> = { info: 0, pass: 1, warn: 2, fail: 3 };
const VERB: Record<Verdict, string> = { fail: 'fails', warn: 'warns', pass: 'passes', info: 'is informational' };

export const buildLabel = (g: Pick<LabHistoryGroup, 'revision' | 'gateware' | 'firmware'>): string =>
  [g.revision || '(no revision)', g.gateware ? `build ${g.gateware}` : '', g.firmware ? `(fw ${g.firmware})` : ''].filter(Boolean).join(' ');

export async function checkHistory(lab: LabConnection, check: string, sequence?: string, serial?: string): Promise<LabHistory> {
  const rows = await lab.query<{
    run_id: string;
    bench: string;
    started_at: Date;
    verdict: Verdict;
    reason: string;
    serial: string;
    revision: string;
    gateware: string;
    firmware: string;
  }>(
    `SELECT r.id AS run_id, be.name AS bench, r.started_at, s.verdict, s.reason, d.serial, bu.revision, bu.gateware, bu.firmware
     FROM cxl_bench.steps s
     JOIN cxl_bench.runs r ON r.id = s.run_id AND r.complete
     JOIN cxl_bench.benches be ON be.id = r.bench_id
     JOIN cxl_bench.run_devices d ON d.run_id = r.id
     JOIN cxl_bench.builds bu ON bu.id = d.build_id
     WHERE s.name = $1 AND ($2::text IS NULL OR r.sequence = $2) AND ($3::text IS NULL OR d.serial = $3)
     ORDER BY r.started_at, r.id, s.seq`,
    [check, sequence ?? null, serial ?? null],
    `reading the history of "${check}"`,
  );
  const groups = new Map<string, LabHistoryGroup>();
  for (const r of rows) {
    const key = `${r.revision}\u0000${r.gateware}\u0000${r.firmware}`;
    let g = groups.get(key);
    if (!g) {
      g = { revision: r.revision, gateware: r.gateware, firmware: r.firmware, firstSeen: r.started_at.toISOString(), counts: { pass: 0, warn: 0, fail: 0, info: 0 }, verdict: 'info', runs: [] };
      groups.set(key, g);
    }
    g.counts[r.verdict]++;
    if (g.runs.length === 0 || SEVERITY[r.verdict] > SEVERITY[g.verdict]) g.verdict = r.verdict;
    g.runs.push({ runId: Number(r.run_id), bench: r.bench, serial: r.serial, startedAt: r.started_at.toISOString(), verdict: r.verdict, reason: r.reason });
  }
  const list = [...groups.values()]; // insertion order = first tested
  const changes: LabHistory['changes'] = [];
  for (let i = 1; i < list.length; i++)
    if (list[i]!.verdict !== list[i - 1]!.verdict)
      changes.push({ from: buildLabel(list[i - 1]!), to: buildLabel(list[i]!), before: list[i - 1]!.verdict, after: list[i]!.verdict });
  let since: string | null = null;
  if (changes.length && list.length) {
    const last = list[list.length - 1]!.verdict;
    let k = list.length - 1;
    while (k > 0 && list[k - 1]!.verdict === last) k--;
    since = `${check} ${VERB[last]} since ${buildLabel(list[k]!)}`;
  }
  return { check, sequence: sequence ?? null, groups: list, changes, since };
}
