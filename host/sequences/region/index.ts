// `region`: create a ram or pmem region the way `cxl create-region` drives Linux core/region.c: choose a root
// decoder (CFMWS) that allows the mode, allocate DPA in the right partition (core/hdm.c cxl_dpa_alloc, DPA skip
// included), compute endpoint positions (cxl_calc_interleave_pos) and each port's ways/granularity/targets
// (cxl_port_setup_targets), leave pass-through ports alone, program and commit endpoint -> switch -> host-bridge
// decoders bottom-up per endpoint in position order (cxl_region_decode_commit), each polled for Committed /
// Error Not Committed for 10 ms (cxld_await_commit); check Linux's HPA<->DPA translation against what the
// decoders now route; then a memory pattern test through the platform's HPA path and tear-down in reverse
// (cxl_region_decode_reset) unless kept. Version-dependent choices come from kernel-rules.ts.

import { pow2Ways, regionDpaToHpa, targetPosition, type RegionGeometry } from '../../../common/interleave-math.js';
import type { Platform } from '../../../common/platform.js';
import { hpa } from '../../../common/units.js';
import { hex } from '../../core/bytes.js';
import { CFMWS_RESTRICT, cedtParse, type Cfmws } from '../../core/cedt.js';
import { decodeHpa, readDecodeSnapshot } from '../../core/decode-chain.js';
import { granularityToEig, HDM, HDM_DECODER_ENABLE, hdmCommitDecoder, hdmReadDecoder, hdmResetDecoder, hdmWrite, type DecoderProgram } from '../../core/hdm.js';
import { MailboxClient } from '../../core/mbox.js';
import { decodeIdentifyMemdev, decodePartitionInfo } from '../../core/mbox-payloads.js';
import { OP, RC } from '../../core/mbox-opcodes.js';
import { DVSEC0, DVSEC0_CTRL_MEM_ENABLE } from '../../core/memdev.js';
import { CXL_VENDOR_ID, DVSEC, pciFindDvsec } from '../../core/pci.js';
import { interleaveCapError, interleavePosition } from '../../core/region-math.js';
import { buildHostBridgeTree, endpointsUnder, type DecodeNode } from '../../core/topology-walk.js';
import type { Sequence, SequenceContext, SequenceResult } from '../../sequence.js';
import { cancelled, mailboxEnv, StepLog } from '../step-log.js';
import { dpaAllocate, dpaAvailable, type DpaRange, type Partitions, type RegionMode } from './dpa-alloc.js';
import { DEFAULT_KERNEL, REGION_KERNEL_RULES, type KernelId, type RegionKernelRules } from './kernel-rules.js';
import { linuxChildGranularity } from './port-granularity.js';
import { memoryTest } from './memory-test.js';
import { writeRegionLabels } from '../../lsa/lsa-io.js';

export type { RegionMode } from './dpa-alloc.js';

export interface RegionOptions {
  /** ram or pmem; default: ram when the kernel has ram regions and every endpoint has free volatile capacity, else pmem. */
  mode?: RegionMode;
  /** Which Linux's rules to follow (kernel-rules.ts); default 6.12. */
  kernel?: KernelId;
  /** CFMWS index; default: the first Type 3 window allowing the mode whose host bridges are all present. */
  window?: number;
  /** Region interleave granularity (bytes); default: the window's (HBIG). */
  granularity?: number;
  /** Interleave ways (endpoints in the region); default: every endpoint below the window's host bridges. */
  ways?: number;
  /** Endpoint paths to use; default: every CXL memory device under the window's host bridges (or `ways` of them). */
  endpoints?: readonly string[];
  /** Bytes each endpoint contributes; default: the smallest free capacity of the mode among them. */
  perEndpointBytes?: number;
  /** Run the memory test (default true). */
  memtest?: boolean;
  /** Bytes the memory test covers (half at the start, half at the end of the region). Default 64 KiB. */
  testBytes?: number;
  /** Leave the region committed (default false: tear down). */
  keep?: boolean;
  /** pmem: write region and namespace labels into each device's LSA as ndctl would (host/lsa). */
  labels?: boolean;
}

export interface RegionTarget {
  position: number;
  node: string;
  /** The endpoint decoder used, its first DPA and its DPA skip. */
  decoder: number;
  dpa: number;
  skip: number;
}

export interface RegionInfo {
  window: number;
  base: number;
  size: number;
  ways: number;
  granularity: number;
  mode: RegionMode;
  kernel: KernelId;
  /** Region UUID (pmem regions need one before HPA allocation: alloc_hpa). */
  uuid: string | null;
  targets: RegionTarget[];
  /** Root window interleave: ways and XOR maps (empty for modulo). */
  rootWays: number;
  xorMaps: number[];
}

export interface RegionResult extends SequenceResult {
  region: RegionInfo | null;
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

/** What an endpoint has: partitions (cxl_mem_create_range_info) and the DPA its committed decoders use. */
interface EndpointDpa {
  parts: Partitions;
  used: DpaRange[];
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

async function endpointDpa(ctx: SequenceContext, n: DecodeNode): Promise<EndpointDpa> {
  const parts: Partitions = { ramBytes: 0, pmemBytes: 0 };
  const c = await MailboxClient.connect(n.target!, mailboxEnv(ctx));
  if (!('error' in c)) {
    const r = await c.send(OP.identifyMemdev);
    if (r.rc === RC.success) {
      const id = decodeIdentifyMemdev(r.output);
      parts.ramBytes = id.volatileOnlyBytes;
      parts.pmemBytes = id.persistentOnlyBytes;
      if (id.partitionAlignBytes !== 0) {
        const p = await c.send(OP.getPartitionInfo);
        if (p.rc === RC.success) {
          const pi = decodePartitionInfo(p.output);
          parts.ramBytes = pi.activeVolatileBytes;
          parts.pmemBytes = pi.activePersistentBytes;
        }
      }
    }
  }
  // Committed decoders' DPA: Σ (DPA skip + size / ways), CXL 2.0 8.2.5.12.20 (Linux reserves them at probe).
  const used: DpaRange[] = [];
  let end = 0;
  for (let i = 0; n.hdm && i < n.decoderCount; i++) {
    const d = await hdmReadDecoder(n.hdm, i);
    if (!d.committed) break;
    const skip = ((d.tlLo & 0xf000_0000) >>> 0) + (d.tlHi >>> 0) * 2 ** 32;
    const start = end + skip;
    end = start + d.size / (d.ways ?? 1);
    used.push({ start, end });
  }
  return { parts, used };
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

const MODE_BIT: Record<RegionMode, number> = { ram: CFMWS_RESTRICT.volatile, pmem: CFMWS_RESTRICT.pmem };

function chooseWindow(wins: readonly Cfmws[], uids: ReadonlySet<number>, mode: RegionMode, want?: number): Cfmws | string {
  if (want !== undefined) {
    const w = wins[want];
    if (!w) return `no CFMWS${want} in the CEDT (${wins.length} windows)`;
    if (w.error !== undefined) return `CFMWS${want} is not registered by cxl_acpi: ${w.error}`;
    if (!(w.restrictions & MODE_BIT[mode])) return `CFMWS${want} does not allow ${mode === 'ram' ? 'volatile' : 'persistent'} memory (restrictions ${hex(w.restrictions, 4)}): no ${mode} root decoder (-ENXIO)`;
    return w;
  }
  const w = wins.find((x) => x.error === undefined && x.ways !== null && x.restrictions & CFMWS_RESTRICT.type3 && x.restrictions & MODE_BIT[mode] && x.targets.every((u) => uids.has(u)));
  return w ?? `no CFMWS allows Type 3 ${mode === 'ram' ? 'volatile' : 'persistent'} memory on present host bridges`;
}

/** A deterministic RFC 4122 v4-shaped UUID for a pmem region (ndctl generates a random one). */
function regionUuid(seed: number): string {
  let x = (seed ^ 0x9e3779b9) >>> 0;
  const hexs = Array.from({ length: 32 }, () => {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return (x >>> 28).toString(16);
  });
  hexs[12] = '4';
  hexs[16] = ((parseInt(hexs[16]!, 16) & 3) | 8).toString(16);
  const s = hexs.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
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
  const kernel = opt.kernel ?? ctx.kernel ?? DEFAULT_KERNEL;
  const rules: RegionKernelRules = REGION_KERNEL_RULES[kernel];

  const cedt = cedtParse(p.cedt());
  if (!cedt.ok) return none(`CEDT unusable: ${cedt.error}`);
  const uidIndex = new Map(cedt.chbs.map((c, i) => [c.uid, i]));
  // Every host bridge's tree (unpruned: Linux counts every dport when it picks pass-through decoders).
  const full = new Map<number, DecodeNode>();
  for (const [i, c] of cedt.chbs.entries()) full.set(c.uid, await buildHostBridgeTree(p, c, i, ctx.targets));
  const dpaOf = new Map<string, EndpointDpa>();
  const dpaInfo = async (e: DecodeNode): Promise<EndpointDpa> => {
    let d = dpaOf.get(e.path);
    if (!d) dpaOf.set(e.path, (d = await endpointDpa(ctx, e)));
    return d;
  };

  // Mode: as asked, else ram where this kernel has ram regions and every endpoint has free volatile capacity.
  let mode: RegionMode;
  if (opt.mode) mode = opt.mode;
  else {
    const eps = [...full.values()].flatMap(endpointsUnder).filter((e) => !opt.endpoints || opt.endpoints.includes(e.path));
    let ramOk = rules.ramRegions && eps.length > 0;
    for (const e of eps) {
      const d = await dpaInfo(e);
      if (dpaAvailable(d.parts, d.used, 'ram') < UNIT) ramOk = false;
    }
    mode = ramOk ? 'ram' : 'pmem';
  }
  if (mode === 'ram' && !rules.ramRegions) return none(`Linux ${kernel} cannot create ram regions: the root decoder has no create_ram_region attribute (volatile region creation arrived in v6.3)`);

  // Root decoder: the CFMWS.
  const win = chooseWindow(cedt.cfmws, new Set(uidIndex.keys()), mode, opt.window);
  if (typeof win === 'string') return none(win);
  const rootWays = win.ways!;
  const xorMaps = win.arithmetic === 1 ? (win.xorMaps ?? []).slice(0, Math.round(Math.log2(pow2Ways(rootWays)))) : [];
  const g = opt.granularity ?? win.granularity;
  const arith = win.arithmetic === 1 ? `XOR (CXIMS ${xorMaps.map((m) => hex(m)).join(', ')})` : 'modulo';
  log.pass('root decoder', `CFMWS${win.index} ${hex(win.base, 12)} + ${win.size / 2 ** 30} GiB, ${rootWays}-way ${arith} × ${win.granularity} B over host bridge UID(s) ${win.targets.join(', ')}; ${mode} region, Linux ${kernel}`, `restrictions ${hex(win.restrictions, 4)}`);
  // interleave_granularity_store: an interleaved window forces the region granularity.
  if (rootWays > 1 && g !== win.granularity) return none(`region granularity ${g} must equal the root decoder granularity ${win.granularity} when the window interleaves host bridges (-EINVAL)`);
  if (granularityToEig(g) === null) return none(`invalid region granularity ${g} (-EINVAL)`);

  // The decode tree under the window's host bridges, pruned to the chosen endpoints.
  const hbs = win.targets.map((uid) => full.get(uid)!);
  const all = hbs.flatMap(endpointsUnder);
  let chosenList = opt.endpoints ? [...opt.endpoints] : all.map((e) => e.path);
  if (opt.ways !== undefined && !opt.endpoints) {
    // interleave_ways_store: ways a multiple of the window's, with a power-of-two quotient.
    if (opt.ways % rootWays !== 0 || (opt.ways / rootWays) & (opt.ways / rootWays - 1)) return none(`invalid interleave: ${opt.ways} ways over a ${rootWays}-way root decoder (-EINVAL)`);
    const per = opt.ways / rootWays;
    chosenList = hbs.flatMap((h) => endpointsUnder(h).slice(0, per).map((e) => e.path));
  }
  const chosen = new Set(chosenList);
  const missing = [...chosen].filter((x) => !all.some((e) => e.path === x));
  if (missing.length) return none(`${missing.join(', ')}: not a CXL memory device below the window's host bridges (-ENXIO)`);
  const roots = hbs.map((h) => prune(h, chosen));
  if (roots.some((r) => r === null)) return none(`every host bridge of the window needs a chosen endpoint below it`, `host bridges ${hbs.map((h) => h.path).join(', ')}; endpoints ${[...chosen].join(', ')}`);
  const tree = roots as DecodeNode[];
  const ways = levelWays(tree);
  if (typeof ways === 'string') return none(`invalid interleave configuration: ${ways}`);
  const levelsWays = [rootWays, ...ways];
  const endpoints = tree.flatMap(endpointsUnder);
  const N = endpoints.length;
  if (levelsWays.reduce((a, b) => a * b, 1) !== N) return none(`interleave ways per level ${levelsWays.join('×')} do not multiply to ${N} endpoints`);
  // interleave_ways_store: ways_to_eiw must know the count (1, 2, 4, 8, 16, 3, 6, 12).
  if (![1, 2, 4, 8, 16, 3, 6, 12].includes(N)) return none(`invalid interleave ways ${N} (${levelsWays.join('×')}): a region interleaves 1, 2, 3, 4, 6, 8, 12 or 16 endpoints (-EINVAL)`);
  if (opt.ways !== undefined && opt.ways !== N) return none(`${opt.ways}-way region asked, but the chosen endpoints make ${N} (-EINVAL)`);

  // Positions (cxl_calc_interleave_pos): root index, then the child index at each level.
  const positions = new Map<string, number>();
  const walk = (n: DecodeNode, levels: { k: number; ways: number }[], depth: number): void => {
    if (n.kind === 'endpoint') return void positions.set(n.path, interleavePosition(levels));
    n.children.forEach((c, k) => walk(c.node, [...levels, { k, ways: levelsWays[depth + 1]! }], depth + 1));
  };
  tree.forEach((hb, k) => walk(hb, [{ k, ways: rootWays }], 0));
  const ordered = [...endpoints].sort((a, b) => positions.get(a.path)! - positions.get(b.path)!);
  // cxl_region_attach: the root decoder's calc_hb(pos) (modulo or XOR of window base + pos × granularity)
  // must be the endpoint's host bridge.
  for (const e of ordered) {
    const pos = positions.get(e.path)!;
    const t = targetPosition(win.base + pos * win.granularity, rootWays, win.granularity, xorMaps, win.base);
    const hb = hbs.findIndex((h) => endpointsUnder(h).some((x) => x.path === e.path));
    if (win.targets[t] !== win.targets[hb]) return none(`${e.path}: invalid target position ${pos} for CFMWS${win.index} (calc_hb picks UID ${win.targets[t]}, the device is below UID ${win.targets[hb]}) (-ENXIO)`);
  }
  log.pass('positions', `${N}-way region, granularity ${g} B`, ordered.map((e) => `${positions.get(e.path)}: ${e.path}`).join('; '));

  // DPA (cxl_dpa_alloc): each endpoint's next decoder takes `perEp` bytes of the mode's partition.
  const infos: EndpointDpa[] = [];
  for (const e of ordered) infos.push(await dpaInfo(e));
  const avail = infos.map((d) => dpaAvailable(d.parts, d.used, mode));
  const perEp = Math.floor((opt.perEndpointBytes ?? Math.min(...avail)) / UNIT) * UNIT;
  if (perEp <= 0) return none(`not enough free ${mode === 'ram' ? 'volatile' : 'persistent'} capacity on the endpoints (-ENOSPC)`, ordered.map((e, i) => `${e.path}: ${hex(avail[i]!)} B free (ram ${hex(infos[i]!.parts.ramBytes)}, pmem ${hex(infos[i]!.parts.pmemBytes)})`).join('; '));
  const allocs: Array<{ start: number; skip: number }> = [];
  for (const [i, e] of ordered.entries()) {
    const a = dpaAllocate(infos[i]!.parts, infos[i]!.used, mode, perEp, rules);
    if (!a.ok) return none(`${e.path}: ${a.reason} (${a.errno})`);
    allocs.push({ start: a.start, skip: a.skip });
  }
  const size = Math.min(perEp * N, Math.floor(win.size / (UNIT * N)) * UNIT * N);
  if (size <= 0) return none(`window of ${win.size} B cannot hold a ${N}-way region (-ENOSPC)`);
  log.pass('dpa', `${hex(size / N)} B of ${mode} per endpoint`, ordered.map((e, i) => `${e.path}: DPA ${hex(allocs[i]!.start)} skip ${hex(allocs[i]!.skip)}`).join('; '));

  // Plan every decoder: index = next free decoder; HPA above anything already committed in the window.
  const plan: Planned[] = [];
  const planFor = new Map<string, Planned>();
  let base = win.base;
  const components: Array<{ n: DecodeNode; depth: number; parentIg: number; parentIw: number }> = [];
  const collect = (n: DecodeNode, depth: number, parentIg: number, parentIw: number) => {
    // cxl_port_setup_targets: ways = the chosen children; granularity from the parent's (Linux's formula).
    const iw = n.kind === 'endpoint' ? N : n.children.length;
    const ig = n.kind === 'endpoint' ? g : linuxChildGranularity(parentIg, parentIw, iw);
    components.push({ n, depth, parentIg, parentIw });
    n.children.forEach((c) => collect(c.node, depth + 1, ig, iw));
  };
  tree.forEach((hb) => collect(hb, 1, rules.rootParentGranularity === 'window' ? win.granularity : g, pow2Ways(rootWays)));
  for (const { n } of components) {
    if (!n.hdm) continue;
    const cc = await committedCount(n);
    if (cc.count >= n.decoderCount) return none(`${n.path}: all ${n.decoderCount} decoders are committed (-EBUSY)`);
    if (cc.end > base && cc.end <= win.base + win.size) base = cc.end;
  }
  // alloc_hpa: alloc_free_mem_region(cxlrd->res, size, SZ_256M, ...) -- 256 MiB aligned, whatever the ways.
  base = Math.ceil((base - win.base) / UNIT) * UNIT + win.base;
  if (base + size > win.base + win.size) return none(`no free ${size} B range left in CFMWS${win.index} (-ENOSPC)`, `first free HPA ${hex(base, 12)}`);
  const fullChildren = (n: DecodeNode): number => {
    const find = (x: DecodeNode): DecodeNode | null => (x.path === n.path ? x : x.children.map((c) => find(c.node)).find((y) => y) ?? null);
    for (const h of full.values()) {
      const f = find(h);
      if (f) return f.children.length;
    }
    return n.children.length;
  };
  const passedThrough: string[] = [];
  for (const { n, parentIg, parentIw } of components) {
    const isEp = n.kind === 'endpoint';
    const iw = isEp ? N : n.children.length;
    if (!isEp) {
      // Switch-level decoders only do powers of 2 (cxl_port_setup_targets, -EINVAL), before anything else.
      if ((iw & (iw - 1)) !== 0) return none(`${n.path}: invalid target count ${iw} (switch level decoders support powers of 2 only, -EINVAL)`);
      const dports = fullChildren(n);
      if (!n.hdm || (rules.passthrough === 'always' && dports === 1)) {
        if (dports > 1 && !n.hdm) return none(`${n.path}: HDM decoder capability not found with ${dports} downstream ports (-ENXIO)`);
        passedThrough.push(`${n.path} (${n.hdm ? 'one dport: Linux uses a pass-through decoder and leaves the HDM decoders alone' : 'no HDM decoders'})`);
        continue;
      }
    }
    const idx = (await committedCount(n)).count;
    const gran = isEp ? g : linuxChildGranularity(parentIg, parentIw, iw);
    if (granularityToEig(gran) === null) return none(`${n.path}: invalid interleave: ${gran} (-EINVAL)`);
    if (!isEp && rules.checkInterleaveCap) {
      const tc = n.caps?.targetCount ?? 0;
      if (iw > 8 || iw > tc) return none(`${n.path}: ways: ${iw} overflows targets: ${tc} (-ENXIO)`);
    }
    const capErr = n.caps && rules.checkInterleaveCap ? interleaveCapError(n.caps, iw, gran) : null;
    if (capErr !== null) return none(`${n.path}: ${capErr} (-ENXIO)`, n.caps ? `HDM Decoder Capability = ${hex(n.caps.raw)}` : undefined);
    // Target list in the order the region's positions first reach each downstream port.
    const minPos = (c: DecodeNode): number => Math.min(...endpointsUnder(c).map((e) => positions.get(e.path)!));
    const targets = [...n.children].sort((a, b) => minPos(a.node) - minPos(b.node)).map((c) => c.port);
    const epIdx = ordered.findIndex((e) => e.path === n.path);
    const prog: DecoderProgram = isEp ? { base, size, ways: N, granularity: g, skip: allocs[epIdx]!.skip, hostOnly: true } : { base, size, ways: iw, granularity: gran, targets, hostOnly: true };
    const pl = { node: n, index: idx, program: prog, committed: false };
    plan.push(pl);
    planFor.set(n.path, pl);
  }
  if (passedThrough.length) log.info('pass-through', `not programmed: ${passedThrough.join('; ')}`);
  log.pass('plan', `HPA ${hex(base, 12)}-${hex(base + size - 1, 12)} (${size / 2 ** 20} MiB), ${plan.length} decoder(s)`, plan.map((d) => `${d.node.path} decoder ${d.index}: ${d.program.ways}-way × ${d.program.granularity} B${d.program.targets ? ` targets [${d.program.targets.join(', ')}]` : ` skip ${hex(d.program.skip ?? 0)}`}`).join('; '));

  // Enable decoding on the endpoints as their probe would have (cxl_hdm_decode_init: devm_cxl_enable_hdm and
  // Mem_Enable). Linux never writes Global Control of a host bridge or switch port.
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
  const targets: RegionTarget[] = ordered.map((e, i) => ({ position: positions.get(e.path)!, node: e.path, decoder: planFor.get(e.path)!.index, dpa: allocs[i]!.start, skip: allocs[i]!.skip }));
  const region: RegionInfo = { window: win.index, base, size, ways: N, granularity: g, mode, kernel, uuid: mode === 'pmem' ? regionUuid(base / UNIT + N * 7919 + win.index) : null, targets, rootWays, xorMaps };

  // Linux's own HPA<->DPA translation (cxl_dpa_to_hpa, used for poison and event records) against what the
  // decoders now route, for the first chunks of every position.
  await translationCheck(ctx, p, log, region);

  if (opt.labels) {
    if (mode !== 'pmem') log.info('labels', 'only pmem regions are labelled (the LSA describes persistent capacity)');
    else await labelRegion(ctx, log, region, ordered);
  }

  // Memory test through the HPA path.
  let memtest: RegionResult['memtest'] = null;
  if (opt.memtest !== false) {
    const mt = await memoryTest(ctx, p, hpa(base), size, opt.testBytes ?? 64 * 1024);
    if (mt.errors === 0 && mt.unroutable === null) log.pass('memory test', `${mt.bytes} B: walking ones and address-in-address clean`, mt.evidence);
    else log.fail('memory test', mt.unroutable ?? `${mt.errors} mismatching 8-byte word(s)`, mt.evidence);
    memtest = { bytes: mt.bytes, errors: mt.errors };
  } else log.info('memory test', 'skipped (--no-memtest)');

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
  } else log.info('keep', `region left committed: ${mode} ${hex(base, 12)} + ${hex(size)} (teardown with the region-teardown sequence)`);
  return { summary: log.summary(`${N}-way ${size / 2 ** 20} MiB ${mode} region at ${hex(base, 12)}`), region, memtest };
}

/** Region and namespace labels on every device of a pmem region (host/lsa/lsa-io.ts). */
async function labelRegion(ctx: SequenceContext, log: StepLog, r: RegionInfo, ordered: readonly DecodeNode[]): Promise<void> {
  const nsUuid = regionUuid(r.base / UNIT + r.ways * 104729 + 1);
  for (const [i, e] of ordered.entries()) {
    const t = r.targets[i]!;
    const c = await MailboxClient.connect(e.target!, mailboxEnv(ctx));
    if ('error' in c) {
      log.fail(`labels ${e.path}`, c.error);
      continue;
    }
    const w = await writeRegionLabels(c, { regionUuid: r.uuid!, namespaceUuid: nsUuid, ways: r.ways, position: t.position, dpa: t.dpa, rawsize: r.size / r.ways, hpa: r.base, granularity: r.granularity });
    if (typeof w === 'string') log.fail(`labels ${e.path}`, w);
    else if (w.lsa.problems.length) log.fail(`labels ${e.path}`, w.lsa.problems.join('; '));
    else log.pass(`labels ${e.path}`, `region label in slot ${w.slots[0]}, namespace label ${nsUuid} in slot ${w.slots[1]}; index seq ${w.lsa.current!.seq}`, `${w.lsa.labels.length} label(s), ${w.lsa.current!.free.size} of ${w.lsa.current!.nslot} slots free`);
  }
}

/** How many chunks per position the translation check samples. */
const CHECK_CHUNKS = 4;

async function translationCheck(ctx: SequenceContext, p: Platform, log: StepLog, r: RegionInfo): Promise<void> {
  const snap = await readDecodeSnapshot(p, ctx.targets);
  const geo: RegionGeometry = { base: r.base, ways: r.ways, granularity: r.granularity, xorMaps: r.xorMaps, rootWays: r.rootWays };
  const wrong: string[] = [];
  for (const t of r.targets) {
    for (let k = 0; k < CHECK_CHUNKS; k++) {
      const dpaOff = k * r.granularity;
      const h = regionDpaToHpa(geo, t.position, dpaOff);
      const c = decodeHpa(snap, h);
      const want = t.dpa + dpaOff;
      if (!c.ok || c.endpoint !== t.node || c.dpa !== want) {
        wrong.push(`position ${t.position} (${t.node}) DPA ${hex(want)} -> HPA ${hex(h, 12)}, but the decoders route it ${c.ok ? `to ${c.endpoint} DPA ${hex(c.dpa!)}` : `nowhere: ${c.broken!.node}: ${c.broken!.reason}`}`);
        break;
      }
    }
  }
  if (wrong.length === 0) log.pass('translation', `Linux's HPA↔DPA translation matches the programmed decode at ${r.targets.length} position(s)`, `${CHECK_CHUNKS} chunks per position`);
  else
    log.warn(
      'translation',
      `Linux's HPA↔DPA translation (cxl_dpa_to_hpa: chunk c at position c mod ${r.ways}) disagrees with what the decoders route at ${wrong.length} position(s): poison and event records would name the wrong HPA`,
      wrong.join('; '),
    );
}

export const regionSequence: Sequence = {
  id: 'region',
  title: 'Region',
  description: 'Create a ram or pmem region like `cxl create-region` (DPA allocation, positions, pass-through ports, commit order as Linux), memory-test it, tear down.',
  run: (ctx) => regionRun(ctx),
};
