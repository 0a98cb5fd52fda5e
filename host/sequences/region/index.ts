// `region`: create a volatile region the way `cxl create-region` drives Linux core/region.c (v6.8-v6.12):
// choose a root decoder (CFMWS), compute endpoint positions, program and commit endpoint → switch → host-bridge
// decoders bottom-up per endpoint in position order (cxl_region_decode_commit), each polled for Committed /
// Error Not Committed for 10 ms (cxld_await_commit); then a memory pattern test through the platform's HPA path
// (walking ones, address-in-address) and tear-down in reverse (cxl_region_decode_reset).

import type { Platform } from '../../../common/platform.js';
import { hpa } from '../../../common/units.js';
import { hex } from '../../core/bytes.js';
import { CFMWS_RESTRICT, cedtParse, type Cfmws } from '../../core/cedt.js';
import { granularityToEig, HDM, HDM_DECODER_ENABLE, hdmCommitDecoder, hdmReadDecoder, hdmResetDecoder, hdmWrite, type DecoderProgram } from '../../core/hdm.js';
import { MailboxClient } from '../../core/mbox.js';
import { decodeIdentifyMemdev, decodePartitionInfo } from '../../core/mbox-payloads.js';
import { OP, RC } from '../../core/mbox-opcodes.js';
import { DVSEC0, DVSEC0_CTRL_MEM_ENABLE } from '../../core/memdev.js';
import { CXL_VENDOR_ID, DVSEC, pciFindDvsec } from '../../core/pci.js';
import { interleaveCapError, interleavePosition, levelGranularity } from '../../core/region-math.js';
import { buildHostBridgeTree, endpointsUnder, type DecodeNode } from '../../core/topology-walk.js';
import type { Sequence, SequenceContext, SequenceResult } from '../../sequence.js';
import { cancelled, mailboxEnv, StepLog } from '../step-log.js';
import { memoryTest } from './memory-test.js';

export interface RegionOptions {
  /** CFMWS index; default: the first Type 3 volatile window whose host bridges are all present. */
  window?: number;
  /** Region interleave granularity (bytes); default: the window's (HBIG). */
  granularity?: number;
  /** Endpoint paths to use; default: every CXL memory device under the window's host bridges. */
  endpoints?: readonly string[];
  /** Bytes each endpoint contributes; default: the smallest volatile capacity among them. */
  perEndpointBytes?: number;
  /** Bytes the memory test covers (half at the start, half at the end of the region). Default 64 KiB. */
  testBytes?: number;
  /** Leave the region committed (default false: tear down). */
  keep?: boolean;
}

export interface RegionTarget {
  position: number;
  node: string;
}

export interface RegionResult extends SequenceResult {
  region: { window: number; base: number; size: number; ways: number; granularity: number; targets: RegionTarget[] } | null;
  memtest: { bytes: number; errors: number } | null;
}

const UNIT = 256 * 2 ** 20;

/** One decoder this region programs. */
interface Planned {
  node: DecodeNode;
  index: number;
  program: DecoderProgram;
  committed: boolean;
}

/** Prune a tree to the chosen endpoints; null when nothing chosen is below. */
function prune(n: DecodeNode, keep: ReadonlySet<string>): DecodeNode | null {
  if (n.kind === 'endpoint') return keep.has(n.path) ? n : null;
  const children = n.children.map((c) => ({ ...c, node: prune(c.node, keep) })).filter((c): c is typeof c & { node: DecodeNode } => c.node !== null);
  return children.length ? { ...n, children } : null;
}

/** Ways per level below the root, or an error when the tree is not balanced (Linux refuses such sets). */
function levelWays(roots: readonly DecodeNode[]): number[] | string {
  const ways: number[] = [];
  let level: DecodeNode[] = [...roots];
  while (level.length && level[0]!.kind !== 'endpoint') {
    const counts = new Set(level.map((n) => n.children.length));
    const kinds = new Set(level.map((n) => n.kind));
    if (counts.size !== 1 || kinds.size !== 1) return `unbalanced hierarchy at ${level.map((n) => `${n.path} (${n.children.length})`).join(', ')}`;
    ways.push(level[0]!.children.length);
    level = level.flatMap((n) => n.children.map((c) => c.node));
    if (new Set(level.map((n) => n.kind)).size !== 1) return `endpoints at different depths under ${roots.map((r) => r.path).join(', ')}`;
  }
  return ways;
}

async function endpointVolatileBytes(ctx: SequenceContext, n: DecodeNode): Promise<number> {
  const c = await MailboxClient.connect(n.target!, mailboxEnv(ctx));
  if ('error' in c) return 0;
  const r = await c.send(OP.identifyMemdev);
  if (r.rc !== RC.success) return 0;
  const id = decodeIdentifyMemdev(r.output);
  if (id.partitionAlignBytes === 0) return id.volatileOnlyBytes;
  const p = await c.send(OP.getPartitionInfo);
  return p.rc === RC.success ? decodePartitionInfo(p.output).activeVolatileBytes : id.volatileOnlyBytes;
}

/** Number of committed decoders of a component, which must be decoders 0..k-1 (commit order). */
async function committedCount(n: DecodeNode): Promise<{ count: number; end: number }> {
  let count = 0;
  let end = 0;
  for (let i = 0; i < n.decoderCount; i++) {
    const d = await hdmReadDecoder(n.hdm!, i);
    if (!d.committed) break;
    count++;
    end = Math.max(end, d.base + d.size);
  }
  return { count, end };
}

/** DPA mapped by an endpoint's committed decoders: Σ (DPA skip + size / ways), CXL 2.0 8.2.5.12 DPA Skip. */
async function committedDpaEnd(n: DecodeNode): Promise<number> {
  let end = 0;
  if (!n.hdm) return end;
  for (let i = 0; i < n.decoderCount; i++) {
    const d = await hdmReadDecoder(n.hdm, i);
    if (!d.committed) break;
    const skip = ((d.tlLo & 0xf000_0000) >>> 0) + (d.tlHi >>> 0) * 2 ** 32;
    end += skip + d.size / (d.ways ?? 1);
  }
  return end;
}

function chooseWindow(wins: readonly Cfmws[], uids: ReadonlySet<number>, want?: number): Cfmws | string {
  if (want !== undefined) {
    const w = wins[want];
    if (!w) return `no CFMWS${want} in the CEDT (${wins.length} windows)`;
    if (w.error !== undefined) return `CFMWS${want} is not registered by cxl_acpi: ${w.error}`;
    return w.arithmetic === 0 ? w : `CFMWS${want} uses XOR interleave arithmetic (CXIMS), which this sequence does not model`;
  }
  const w = wins.find((x) => x.error === undefined && x.arithmetic === 0 && x.ways !== null && x.restrictions & CFMWS_RESTRICT.type3 && x.restrictions & CFMWS_RESTRICT.volatile && x.targets.every((u) => uids.has(u)));
  return w ?? 'no CFMWS allows Type 3 volatile memory on present host bridges';
}

export async function regionRun(ctx: SequenceContext, opt: RegionOptions = {}): Promise<RegionResult> {
  try {
    return await regionSteps(ctx, opt);
  } catch (err) {
    // A hardware link fault part-way: report it; decoders may be left committed (the step log shows which).
    ctx.step({ name: 'region', verdict: 'fail', reason: `access failed: ${(err as Error).message}`, evidence: (err as Error).name });
    return { summary: `region: link failure (${(err as Error).message})`, region: null, memtest: null };
  }
}

async function regionSteps(ctx: SequenceContext, opt: RegionOptions): Promise<RegionResult> {
  const log = new StepLog(ctx, 'region');
  const none = (reason: string, evidence?: string): RegionResult => {
    log.fail('region', reason, evidence);
    return { summary: log.summary(), region: null, memtest: null };
  };
  const p: Platform | null = ctx.platform;
  if (!p) return none('region needs a platform (a topology with CEDT, host bridges and an HPA memory path)');

  // Root decoder: the CFMWS.
  const cedt = cedtParse(p.cedt());
  if (!cedt.ok) return none(`CEDT unusable: ${cedt.error}`);
  const uidIndex = new Map(cedt.chbs.map((c, i) => [c.uid, i]));
  const win = chooseWindow(cedt.cfmws, new Set(uidIndex.keys()), opt.window);
  if (typeof win === 'string') return none(win);
  const g = opt.granularity ?? win.granularity;
  log.pass('root decoder', `CFMWS${win.index} ${hex(win.base, 12)} + ${win.size / 2 ** 30} GiB, ${win.ways}-way × ${win.granularity} B over host bridge UID(s) ${win.targets.join(', ')}`, `restrictions ${hex(win.restrictions, 4)}`);
  if (win.ways! > 1 && g !== win.granularity) return none(`region granularity ${g} must equal the root decoder granularity ${win.granularity} when the window interleaves host bridges (-EINVAL)`);
  if (granularityToEig(g) === null) return none(`invalid region granularity ${g}`);

  // The decode tree under the window's host bridges, pruned to the chosen endpoints.
  const hbs: DecodeNode[] = [];
  for (const uid of win.targets) hbs.push(await buildHostBridgeTree(p, cedt.chbs[uidIndex.get(uid)!]!, uidIndex.get(uid)!, ctx.targets));
  const all = hbs.flatMap(endpointsUnder);
  const chosen = new Set(opt.endpoints ?? all.map((e) => e.path));
  const roots = hbs.map((h) => prune(h, chosen));
  if (roots.some((r) => r === null)) return none(`every host bridge of the window needs a chosen endpoint below it`, `host bridges ${hbs.map((h) => h.path).join(', ')}; endpoints ${[...chosen].join(', ')}`);
  const tree = roots as DecodeNode[];
  const ways = levelWays(tree);
  if (typeof ways === 'string') return none(`invalid interleave configuration: ${ways}`);
  const levelsWays = [win.ways!, ...ways];
  const endpoints = tree.flatMap(endpointsUnder);
  const N = endpoints.length;
  if (levelsWays.reduce((a, b) => a * b, 1) !== N) return none(`interleave ways per level ${levelsWays.join('×')} do not multiply to ${N} endpoints`);

  // Positions (cxl_calc_interleave_pos): root index, then the child index at each level.
  const positions = new Map<string, number>();
  const walk = (n: DecodeNode, levels: { k: number; ways: number }[], depth: number): void => {
    if (n.kind === 'endpoint') return void positions.set(n.path, interleavePosition(levels));
    n.children.forEach((c, k) => walk(c.node, [...levels, { k, ways: levelsWays[depth + 1]! }], depth + 1));
  };
  tree.forEach((hb, k) => walk(hb, [{ k, ways: win.ways! }], 0));
  const ordered = [...endpoints].sort((a, b) => positions.get(a.path)! - positions.get(b.path)!);
  log.pass('positions', `${N}-way region, granularity ${g} B`, ordered.map((e) => `${positions.get(e.path)}: ${e.path}`).join('; '));

  // Capacity and HPA range.
  // Free volatile DPA: capacity less what committed decoders already map (cxl_dpa_alloc allocates after the
  // last reserved DPA and fails with -ENOSPC before any register is written).
  const caps: number[] = [];
  for (const e of ordered) caps.push(Math.max(0, (await endpointVolatileBytes(ctx, e)) - (await committedDpaEnd(e))));
  const perEp = Math.floor((opt.perEndpointBytes ?? Math.min(...caps)) / UNIT) * UNIT;
  if (perEp <= 0 || caps.some((c) => c < perEp)) return none('not enough free volatile capacity on the endpoints (-ENOSPC)', ordered.map((e, i) => `${e.path}: ${caps[i]} B free`).join('; '));
  const size = Math.min(perEp * N, Math.floor(win.size / (UNIT * N)) * UNIT * N);
  if (size <= 0) return none(`window of ${win.size} B cannot hold a ${N}-way region`);

  // Plan every decoder: index = next free decoder; HPA above anything already committed in the window.
  const plan: Planned[] = [];
  const planFor = new Map<string, Planned>();
  let base = win.base;
  const components: Array<{ n: DecodeNode; depth: number }> = [];
  const collect = (n: DecodeNode, depth: number) => {
    components.push({ n, depth });
    n.children.forEach((c) => collect(c.node, depth + 1));
  };
  tree.forEach((hb) => collect(hb, 1));
  for (const { n } of components) {
    if (!n.hdm) continue;
    const cc = await committedCount(n);
    if (cc.count >= n.decoderCount) return none(`${n.path}: all ${n.decoderCount} decoders are committed (-EBUSY)`);
    if (cc.end > base && cc.end <= win.base + win.size) base = cc.end;
  }
  // alloc_hpa: alloc_free_mem_region(cxlrd->res, size, SZ_256M, ...) -- 256 MiB aligned, whatever the ways.
  base = Math.ceil((base - win.base) / UNIT) * UNIT + win.base;
  if (base + size > win.base + win.size) return none(`no free ${size} B range left in CFMWS${win.index}`, `first free HPA ${hex(base, 12)}`);
  for (const { n, depth } of components) {
    if (!n.hdm) {
      if (n.children.length > 1) return none(`${n.path}: HDM decoder capability not found with ${n.children.length} downstream ports`);
      continue; // pass-through
    }
    const idx = (await committedCount(n)).count;
    const isEp = n.kind === 'endpoint';
    const gran = isEp ? g : levelGranularity(g, levelsWays.slice(0, depth));
    if (granularityToEig(gran) === null) return none(`${n.path}: invalid granularity calculation (${gran} B)`);
    // The checks Linux makes before it writes a register (cxl_port_setup_targets, cxl_region_attach).
    const ways = isEp ? N : n.children.length;
    if (!isEp) {
      if ((ways & (ways - 1)) !== 0) return none(`${n.path}: invalid target count ${ways} (switch level decoders support powers of 2 only, -EINVAL)`);
      const tc = n.caps?.targetCount ?? 0;
      if (ways > 8 || ways > tc) return none(`${n.path}: ways: ${ways} overflows targets: ${tc} (-ENXIO)`);
    }
    const capErr = n.caps ? interleaveCapError(n.caps, ways, gran) : null;
    if (capErr !== null) return none(`${n.path}: ${capErr} (-ENXIO)`, n.caps ? `HDM Decoder Capability = ${hex(n.caps.raw)}` : undefined);
    const prog: DecoderProgram = isEp
      ? { base, size, ways: N, granularity: g, skip: 0, hostOnly: true }
      : { base, size, ways: n.children.length, granularity: gran, targets: n.children.map((c) => c.port), hostOnly: true };
    const pl = { node: n, index: idx, program: prog, committed: false };
    plan.push(pl);
    planFor.set(n.path, pl);
  }
  log.pass('plan', `HPA ${hex(base, 12)}-${hex(base + size - 1, 12)} (${size / 2 ** 20} MiB), ${plan.length} decoder(s)`, plan.map((d) => `${d.node.path} decoder ${d.index}: ${d.program.ways}-way × ${d.program.granularity} B${d.program.targets ? ` targets [${d.program.targets.join(', ')}]` : ' skip 0'}`).join('; '));

  // Enable decoding on the endpoints as their probe would have (cxl_hdm_decode_init: devm_cxl_enable_hdm and
  // Mem_Enable). Linux never writes Global Control of a host bridge or switch port (cxl_switch_port_probe only
  // enumerates decoders; HDM Decoder Enable is RsvdP there, CXL 2.0 8.2.5.12.2).
  for (const d of plan) {
    if (d.node.kind === 'endpoint') {
      const g0 = await d.node.hdm!.regs.read32(d.node.hdm!.base + HDM.globalCtrl);
      if (!(g0 & HDM_DECODER_ENABLE)) await hdmWrite(d.node.hdm!, HDM.globalCtrl, g0 | HDM_DECODER_ENABLE);
      const t = d.node.target!;
      const dv = await pciFindDvsec(t, CXL_VENDOR_ID, DVSEC.cxlDevice);
      if (dv) {
        const c = await t.cfgRead(dv + DVSEC0.ctrl, 2);
        if (!(c & DVSEC0_CTRL_MEM_ENABLE)) await t.cfgWrite(dv + DVSEC0.ctrl, 2, c | DVSEC0_CTRL_MEM_ENABLE);
      }
    }
  }

  // Commit bottom-up per endpoint in position order (cxl_region_decode_commit).
  const committedOrder: Planned[] = [];
  const teardown = async (why: string) => {
    for (const d of [...committedOrder].reverse()) {
      const ctrl = await hdmResetDecoder(d.node.hdm!, d.index);
      log.info(`reset ${d.node.path} decoder ${d.index}`, why, `Control after reset = ${hex(ctrl)}`);
    }
  };
  const chain = (ep: DecodeNode): DecodeNode[] => {
    const out: DecodeNode[] = [];
    const find = (n: DecodeNode, path: DecodeNode[]): boolean => {
      if (n === ep) return out.push(...[...path, n].reverse()), true;
      return n.children.some((c) => find(c.node, [...path, n]));
    };
    tree.some((hb) => find(hb, []));
    return out;
  };
  for (const ep of ordered) {
    for (const n of chain(ep)) {
      if (cancelled(ctx)) {
        await teardown('cancelled');
        return { summary: log.summary('cancelled'), region: null, memtest: null };
      }
      const d = planFor.get(n.path);
      if (!d || d.committed) continue;
      const r = await hdmCommitDecoder(n.hdm!, d.index, d.program, (ns) => ctx.sleep(ns));
      if (!r.ok) {
        log.fail(`commit ${n.path} decoder ${d.index}`, `decoder${n.path}.${d.index}: error ${r.errno} committing decoder (${r.errno === -5 ? 'Error Not Committed' : 'timeout after 10 ms'})`, r.evidence);
        await teardown('region commit failed');
        return { summary: log.summary('commit failed'), region: null, memtest: null };
      }
      d.committed = true;
      committedOrder.push(d);
      log.pass(`commit ${n.path} decoder ${d.index}`, `committed after ${r.polls} poll(s)`, r.evidence);
    }
  }
  const targets = ordered.map((e) => ({ position: positions.get(e.path)!, node: e.path }));
  const region = { window: win.index, base, size, ways: N, granularity: g, targets };

  // Memory test through the HPA path.
  const mt = await memoryTest(ctx, p, hpa(base), size, opt.testBytes ?? 64 * 1024);
  if (mt.errors === 0 && mt.unroutable === null) log.pass('memory test', `${mt.bytes} B: walking ones and address-in-address clean`, mt.evidence);
  else log.fail('memory test', mt.unroutable ?? `${mt.errors} mismatching 8-byte word(s)`, mt.evidence);

  if (!opt.keep) {
    // cxl_region_decode_reset: per endpoint in reverse position order, host bridge first, endpoint last.
    for (const ep of [...ordered].reverse()) {
      for (const n of chain(ep).reverse()) {
        const d = planFor.get(n.path);
        if (!d || !d.committed) continue;
        const ctrl = await hdmResetDecoder(n.hdm!, d.index);
        d.committed = false;
        if (ctrl & (1 << 10)) log.fail(`reset ${n.path} decoder ${d.index}`, 'Committed still set after clearing Commit', `Control = ${hex(ctrl)}`);
        else log.pass(`reset ${n.path} decoder ${d.index}`, 'decommitted', `Control = ${hex(ctrl)}`);
      }
    }
  }
  return { summary: log.summary(`${N}-way ${size / 2 ** 20} MiB region at ${hex(base, 12)}`), region, memtest: { bytes: mt.bytes, errors: mt.errors } };
}

export const regionSequence: Sequence = {
  id: 'region',
  title: 'Region',
  description: 'Program root/host-bridge/switch/endpoint decoders like `cxl create-region`, run a memory pattern test over the region, tear down.',
  run: (ctx) => regionRun(ctx),
};
