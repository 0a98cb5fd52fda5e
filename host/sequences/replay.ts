// `replay`: issue a source run's accesses, in order, against this run's targets and platform, so the new trace
// answers "what would our emulation (or this board) have said to exactly the same host traffic?" — e.g. the
// config cycles SeaBIOS sent to QEMU's CXL devices. The trace is the product: reads are issued and whatever
// this run's hardware answers is recorded; compare source and replay to see, field by field, where they differ.
//
// Per access event of the source (DESIGN.md 5 event shape): the same node (through `nodeMap`), space, region,
// offset, width, op and written value; the source's time gaps advance this run's clock, so background
// operations and timeouts see the same elapsed time. Config accesses whose width the source did not record
// (QEMU pci_cfg lines) take it from `cfgWidth` (host/core/cfg-width.ts, over the run's register layout).
// Source step records are carried into the trace stream unchanged (not re-judged, not counted as this run's
// verdicts) so the replay reads alongside the source; mailbox records are the source host's interpretation of
// a handshake and are not re-created (the handshake's accesses are replayed). Events of nodes this run does
// not have are skipped and counted in the summary.

import type { CfgWidth, Width } from '../../common/access.js';
import type { Platform } from '../../common/platform.js';
import type { Target } from '../../common/target.js';
import { hpa, type Bdf } from '../../common/units.js';
import type { Sequence, SequenceContext, SequenceResult } from '../sequence.js';

/** One access of the source, as trace/event.ts AccessEvent has it (host/ does not import trace/). */
export interface ReplayAccess {
  kind: 'access';
  seq: number;
  timeNs: number;
  node: string;
  space: 'cfg' | 'mmio' | 'mem';
  region: string;
  offset: number;
  width: Width;
  op: 'R' | 'W';
  value: bigint;
}

export interface ReplayStep {
  kind: 'step';
  timeNs: number;
  sequence: string;
  name: string;
  verdict: 'pass' | 'warn' | 'fail' | 'info';
  reason: string;
  evidence?: string;
}

export type ReplayEvent = ReplayAccess | ReplayStep | { kind: 'mailbox'; timeNs: number; node: string };

/** The source run's events, read in pages (trace/event.ts TraceSource satisfies it). */
export interface ReplaySource {
  readonly count: number;
  events(from: number, to: number): readonly ReplayEvent[];
}

export interface ReplayInput {
  source: ReplaySource;
  /** Source node → this run's node. Unlisted names stay as they are. */
  nodeMap?: Readonly<Record<string, string>>;
  /** Width of a config access the source did not size (QEMU logs); absent: the recorded width. */
  cfgWidth?: (node: string, offset: number, value: bigint) => CfgWidth;
  /** How the summary names the source, e.g. "run 12". */
  label?: string;
}

/** What a replay did, besides the trace it recorded. */
export interface ReplayCounts {
  issued: number;
  /** Source accesses of nodes (or regions) this run cannot reach, by source node. */
  skipped: Record<string, number>;
  /** Config accesses issued at a width other than the one recorded (inferred from declarations). */
  resized: number;
  mailboxRecords: number;
  steps: number;
}

const PAGE = 4096;
const BAR_INDEX: Readonly<Record<string, number>> = { bar0: 0, bar1: 1, bar2: 2, bar3: 3, bar4: 4, bar5: 5 };
const PLATFORM_NODE = 'platform';

interface ChbcrPlatform extends Platform {
  chbcrBase(hbPath: string): number | undefined;
}
const hasChbcr = (p: Platform | null): p is ChbcrPlatform => typeof (p as Partial<ChbcrPlatform> | null)?.chbcrBase === 'function';

const lo32 = (v: bigint): number => Number(v & 0xffff_ffffn);

function leBytes(v: bigint, width: number): Uint8Array {
  const out = new Uint8Array(width);
  for (let i = 0; i < width; i++) out[i] = Number((v >> BigInt(8 * i)) & 0xffn);
  return out;
}

/**
 * Issue one access; false when this run has nothing that can take it. Values read are not needed here: the
 * target or platform records them in the run's trace.
 */
async function issue(e: ReplayAccess, node: string, width: Width, targets: ReadonlyMap<string, Target>, platform: Platform | null): Promise<boolean> {
  const t = targets.get(node);
  const write = e.op === 'W';
  if (e.region === 'cfg' && e.space === 'cfg') {
    if (width === 8) return false;
    if (t) {
      if (write) await t.cfgWrite(e.offset, width, lo32(e.value));
      else await t.cfgRead(e.offset, width);
      return true;
    }
    // Unclaimed ECAM cycles are traced on node "platform" at bdf * 0x1000 + offset (emulator/topology/platform.ts).
    if (node === PLATFORM_NODE && platform) {
      const b = Math.floor(e.offset / 0x1000) as Bdf;
      if (write) await platform.cfgWrite(b, e.offset % 0x1000, width, lo32(e.value));
      else await platform.cfgRead(b, e.offset % 0x1000, width);
      return true;
    }
    return false;
  }
  const n = BAR_INDEX[e.region];
  if (n !== undefined && t) {
    if (width === 8) {
      if (write) await t.barWrite64(n, e.offset, e.value);
      else await t.barRead64(n, e.offset);
    } else if (write) await t.barWrite(n, e.offset, width, lo32(e.value));
    else await t.barRead(n, e.offset, width);
    return true;
  }
  if (e.region === 'chbcr' && hasChbcr(platform) && width !== 8) {
    const base = platform.chbcrBase(node);
    if (base === undefined) return false;
    if (write) await platform.mmioWrite(base + e.offset, width, lo32(e.value));
    else await platform.mmioRead(base + e.offset, width);
    return true;
  }
  // The memory path and unclaimed MMIO are traced on endpoint nodes or "platform"; anything else (a QEMU log's
  // unmapped node for the RTC, APIC, ...) was not addressed to this platform.
  if (e.region === 'hpa' && platform && (t || node === PLATFORM_NODE)) {
    if (e.space === 'mem') {
      if (write) await platform.memWrite(hpa(e.offset), leBytes(e.value, width));
      else await platform.memRead(hpa(e.offset), new Uint8Array(width));
      return true;
    }
    if (e.space === 'mmio' && width !== 8) {
      if (write) await platform.mmioWrite(e.offset, width, lo32(e.value));
      else await platform.mmioRead(e.offset, width);
      return true;
    }
  }
  return false;
}

/** Replay `input.source` into `ctx`; the counts of what was issued and skipped. */
export async function replayAccesses(ctx: SequenceContext, input: ReplayInput): Promise<ReplayCounts> {
  const counts: ReplayCounts = { issued: 0, skipped: {}, resized: 0, mailboxRecords: 0, steps: 0 };
  const src = input.source;
  let lastTime: number | null = null;
  for (let from = 0; from < src.count && !ctx.signal.aborted; from += PAGE) {
    for (const e of src.events(from, Math.min(src.count, from + PAGE))) {
      if (ctx.signal.aborted) break;
      // Keep the source's pacing in virtual time (never backwards; imported logs may restart at 0).
      if (lastTime !== null && e.timeNs > lastTime) await ctx.sleep(e.timeNs - lastTime);
      lastTime = Math.max(lastTime ?? 0, e.timeNs);
      if (e.kind === 'mailbox') {
        counts.mailboxRecords++;
        continue;
      }
      if (e.kind === 'step') {
        ctx.sink?.step({ sequence: e.sequence, name: e.name, verdict: e.verdict, reason: e.reason, ...(e.evidence !== undefined ? { evidence: e.evidence } : {}) });
        counts.steps++;
        continue;
      }
      const node = input.nodeMap?.[e.node] ?? e.node;
      let width = e.width;
      if (e.space === 'cfg' && input.cfgWidth && ctx.targets.has(node)) {
        width = input.cfgWidth(node, e.offset, e.value);
        if (width !== e.width) counts.resized++;
      }
      if (await issue(e, node, width, ctx.targets, ctx.platform)) counts.issued++;
      else counts.skipped[e.node] = (counts.skipped[e.node] ?? 0) + 1;
    }
    ctx.progress(Math.min(src.count, from + PAGE), src.count, 'replay');
  }
  return counts;
}

/** One line for the run list. */
export function replaySummary(c: ReplayCounts, label: string): string {
  const skipped = Object.entries(c.skipped);
  const nSkipped = skipped.reduce((n, [, k]) => n + k, 0);
  const parts = [`replay of ${label}: ${c.issued} accesses issued`];
  if (c.resized) parts.push(`${c.resized} config widths from declarations`);
  if (nSkipped) parts.push(`${nSkipped} skipped (not in this run: ${skipped.map(([n, k]) => `${n} ×${k}`).join(', ')})`);
  if (c.mailboxRecords) parts.push(`${c.mailboxRecords} mailbox records not re-created`);
  return parts.join(', ');
}

/** A replay sequence bound to its source (the run worker builds one per replay run). */
export function createReplaySequence(input: ReplayInput): Sequence {
  return {
    ...replaySequence,
    async run(ctx: SequenceContext): Promise<SequenceResult> {
      const counts = await replayAccesses(ctx, input);
      return { summary: replaySummary(counts, input.label ?? 'source') };
    },
  };
}

/** The registry entry: a replay needs a source run, which runs.replay / `cxl-bench replay` give it. */
export const replaySequence: Sequence = {
  id: 'replay',
  title: 'Replay a run',
  needsSource: true,
  description:
    "Issue a source run's accesses (e.g. an imported QEMU log) in order against this run's targets and record what they answer; compare source and replay to see where they differ.",
  async run(): Promise<SequenceResult> {
    throw new Error('replay needs a source run: start it with runs.replay or `cxl-bench replay RUN`');
  },
};
