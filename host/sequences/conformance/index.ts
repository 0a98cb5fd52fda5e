// `conformance`: named spec checks run against every CXL memory device of the run. One step per check (pass /
// fail, skip as info) and a table in the result. Checks restore what they write.

import { getKernel, ruleCite } from '../../kernels/index.js';
import type { Target } from '../../../common/target.js';
import type { Verdict } from '../../../common/trace-sink.js';
import { discoverFunction } from '../../core/discover.js';
import { MailboxClient } from '../../core/mbox.js';
import { CEL_UUID, decodeCel, decodeSupportedLogs, encodeGetLog } from '../../core/mbox-payloads.js';
import { OP, RC } from '../../core/mbox-opcodes.js';
import { CMCAP, componentCapOffset, CXL_CM_OFFSET } from '../../core/regs.js';
import { CXL_MEMORY_CLASS, CXL_VENDOR_ID, DVSEC } from '../../core/pci.js';
import type { Sequence, SequenceContext, SequenceResult } from '../../sequence.js';
import { cancelled, mailboxEnv, StepLog, targetsInOrder } from '../step-log.js';
import type { CheckEnv, CheckVerdict, ConformanceCheck } from './check.js';
import { COMPONENT_CHECKS } from './checks-component.js';
import { CONFIG_CHECKS } from './checks-config.js';
import { DEVICE_CHECKS } from './checks-device.js';
import { DOE_CHECKS } from './checks-doe.js';
import { DVSEC_CHECKS } from './checks-dvsec.js';
import { MAILBOX_CHECKS } from './checks-mailbox.js';

export type { CheckEnv, CheckResult, ConformanceCheck } from './check.js';

/** Every check, in run order (mailbox behaviour after the register checks, commit checks last of their group). */
export const CONFORMANCE_CHECKS: readonly ConformanceCheck[] = [...CONFIG_CHECKS, ...DVSEC_CHECKS, ...COMPONENT_CHECKS, ...DEVICE_CHECKS, ...MAILBOX_CHECKS, ...DOE_CHECKS];

export interface ConformanceRow {
  node: string;
  id: string;
  title: string;
  spec: string;
  verdict: CheckVerdict;
  evidence: string;
}

export interface ConformanceResult extends SequenceResult {
  rows: ConformanceRow[];
  /** Plain-text table (node, id, verdict, spec, title) for the CLI and reports. */
  table: string;
}

export async function buildCheckEnv(ctx: SequenceContext, t: Target): Promise<CheckEnv> {
  const kernel = getKernel(ctx.kernel);
  const f = await discoverFunction(t);
  const env = mailboxEnv(ctx);
  const m = await MailboxClient.connect(t, env);
  const mbox = 'error' in m ? null : m;
  const dvsec = (id: number) => f.dvsecs.find((d) => d.vendor === CXL_VENDOR_ID && d.id === id)?.offset ?? 0;
  const capAt = (id: number) => {
    if (!f.component) return null;
    const o = componentCapOffset(f.component.array, id);
    return o === null ? null : { bar: f.component.bar, at: f.component.base + o };
  };
  let celCache: number[] | null | undefined;
  return {
    kernel,
    t,
    f,
    mbox,
    dvsec0: dvsec(DVSEC.cxlDevice),
    dvsec8: dvsec(DVSEC.registerLocator),
    hdm: capAt(CMCAP.hdm),
    ras: capAt(CMCAP.ras),
    sleep: (ns) => ctx.sleep(ns),
    now: () => ctx.clock.now(),
    cel: async () => {
      if (celCache !== undefined) return celCache;
      celCache = null;
      if (!mbox) return null;
      const logs = decodeSupportedLogs((await mbox.send(OP.getSupportedLogs)).output);
      const cel = logs.entries.find((e) => e.uuid === CEL_UUID);
      if (!cel) return null;
      const bytes = new Uint8Array(cel.size);
      for (let off = 0; off < cel.size; off += mbox.payloadSize) {
        const len = Math.min(mbox.payloadSize, cel.size - off);
        const r = await mbox.send(OP.getLog, encodeGetLog(CEL_UUID, off, len));
        if (r.rc !== RC.success) return null;
        bytes.set(r.output.subarray(0, len), off);
      }
      celCache = decodeCel(bytes).map((e) => e.opcode);
      return celCache;
    },
  };
}

const STEP_VERDICT: Record<CheckVerdict, Verdict> = { pass: 'pass', fail: 'fail', skip: 'info' };

export function formatTable(rows: readonly ConformanceRow[]): string {
  const head = ['node', 'check', 'verdict', 'spec', 'title'];
  const body = rows.map((r) => [r.node, r.id, r.verdict.toUpperCase(), r.spec, r.title]);
  const widths = head.map((h, i) => Math.min(48, Math.max(h.length, ...body.map((b) => b[i]!.length))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export async function conformanceRun(ctx: SequenceContext, checks: readonly ConformanceCheck[] = CONFORMANCE_CHECKS): Promise<ConformanceResult> {
  const log = new StepLog(ctx, 'conformance');
  const rows: ConformanceRow[] = [];
  const devices: Target[] = [];
  for (const t of targetsInOrder(ctx)) if (((await t.cfgRead(0x08, 4)) >>> 8) === CXL_MEMORY_CLASS) devices.push(t);
  if (!devices.length) log.warn('conformance', 'no CXL memory device (class 050210h) among the run’s functions');
  const total = devices.length * checks.length;
  let done = 0;
  for (const t of devices) {
    const e = await buildCheckEnv(ctx, t);
    for (const c of checks) {
      if (cancelled(ctx)) break;
      ctx.progress(done++, total, `${t.node}: ${c.id}`);
      let r;
      try {
        r = await c.run(e);
      } catch (err) {
        // A link fault from hardware: the check could not complete.
        r = { verdict: 'fail' as const, evidence: `access failed: ${(err as Error).message}` };
      }
      rows.push({ node: t.node, id: c.id, title: c.title, spec: c.spec, verdict: r.verdict, evidence: r.evidence });
      const rule = c.kernelRule ? ` (${ruleCite(e.kernel, c.kernelRule(e.kernel))})` : '';
      log.add(STEP_VERDICT[r.verdict], `${t.node}: ${c.id}`, `${c.title} (${c.spec})${rule}${r.verdict === 'skip' ? ' — skipped' : ''}`, r.evidence);
    }
  }
  ctx.progress(total, total, 'conformance done');
  const n = (v: CheckVerdict) => rows.filter((r) => r.verdict === v).length;
  return { summary: `conformance: ${n('pass')} pass, ${n('fail')} fail, ${n('skip')} skip over ${devices.length} device(s)`, rows, table: formatTable(rows) };
}

export const conformanceSequence: Sequence = {
  id: 'conformance',
  title: 'Conformance',
  description: `${CONFORMANCE_CHECKS.length} named spec checks (registers, DVSECs, decoders, mailbox return codes, CEL, LSA, background operations, CDAT) on every CXL memory device.`,
  run: conformanceRun,
};
void CXL_CM_OFFSET;
