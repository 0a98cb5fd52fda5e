// What `cxl list -vvv` (ndctl v76) would print for the bench's model: the root (ACPI0017) with its host-bridge
// dports, root decoders per CFMWS with their regions, ports (host bridges, switch USPs) with dports, decoders
// and endpoints, endpoints with their memdev and decoders. Field names and nesting follow real output
// (test/fixtures/qemu-linux/*/cxl-list*.json, QEMU 7.2 + Linux 6.1; ndctl cxl/json.c for ram_size); a test
// checks every key path against those captures. Object numbers follow Linux's registration order only
// approximately (ports, then endpoints, depth first): diff by field, not by name.
// Built from a DecodeSnapshot (registers read back) and what the caller read over the mailbox.

import { CFMWS_RESTRICT } from '../core/cedt.js';
import type { DecodeSnapshot, SnapshotNode } from '../core/decode-chain.js';
import { REGION_KERNEL_RULES, type KernelId } from '../sequences/region/kernel-rules.js';

export interface MemdevInfo {
  serial: bigint;
  /** Active volatile / persistent capacity (Get Partition Info, else Identify). */
  ramBytes: number;
  pmemBytes: number;
  totalBytes: number;
  volatileOnlyBytes: number;
  persistentOnlyBytes: number;
  partitionAlignBytes: number;
}

export interface CxlListInput {
  snapshot: DecodeSnapshot;
  /** Memdev facts by endpoint path (mailbox Identify / Get Partition Info). */
  memdevs: ReadonlyMap<string, MemdevInfo>;
  /** "0000:0c:00.0" for a function's topology path, when known. */
  bdfOf(path: string): string | null;
  /** Root bus of a host bridge by CHBS UID (the ACPI0016 alias pci0000:BB). */
  rootBusOf(uid: number): number | null;
  kernel?: KernelId;
}

type Json = Record<string, unknown>;

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

interface Numbered {
  node: SnapshotNode;
  /** portN / endpointN number. */
  id: number;
  depth: number;
  portPath: string | null;
}

/** A region found in the committed decoders: one endpoint-decoder HPA range under a window. */
interface FoundRegion {
  name: string;
  base: number;
  size: number;
  ways: number;
  granularity: number;
  window: number;
}

export function cxlList(input: CxlListInput): Json[] {
  const s = input.snapshot;
  const rules = REGION_KERNEL_RULES[input.kernel ?? '6.12'];
  const bridges = s.cedt.chbs.map((c, i) => ({ chbs: c, index: i, tree: s.bridges.get(c.uid)! })).filter((b) => b.tree);

  // Number ports (host bridges, then switches depth first), then endpoints, as Linux registers them.
  let next = 1;
  const ports: Numbered[] = [];
  const endpoints: Numbered[] = [];
  for (const b of bridges) ports.push({ node: b.tree, id: next++, depth: 1, portPath: null });
  const walkSwitches = (n: SnapshotNode, depth: number): void => {
    for (const c of n.children) {
      if (c.node.kind === 'switch') {
        ports.push({ node: c.node, id: next++, depth: depth + 1, portPath: c.portPath });
        walkSwitches(c.node, depth + 1);
      }
    }
  };
  for (const b of bridges) walkSwitches(b.tree, 1);
  const walkEndpoints = (n: SnapshotNode, depth: number): void => {
    for (const c of n.children) {
      if (c.node.kind === 'endpoint') endpoints.push({ node: c.node, id: 0, depth: depth + 1, portPath: c.portPath });
      else walkEndpoints(c.node, depth + 1);
    }
  };
  for (const b of bridges) walkEndpoints(b.tree, 1);
  endpoints.forEach((e) => (e.id = next++));
  const memName = new Map(endpoints.map((e, i) => [e.node.path, `mem${i}`]));
  const portId = new Map([...ports, ...endpoints].map((p) => [p.node.path, p.id]));

  // Regions: distinct committed endpoint-decoder ranges, named in HPA order.
  const found: FoundRegion[] = [];
  for (const e of endpoints) {
    for (const d of e.node.decoders) {
      if (found.some((r) => r.base === d.base && r.size === d.size)) continue;
      const w = s.cedt.cfmws.find((x) => d.base >= x.base && d.base < x.base + x.size);
      found.push({ name: '', base: d.base, size: d.size, ways: d.ways, granularity: d.granularity, window: w?.index ?? -1 });
    }
  }
  found.sort((a, b) => a.base - b.base).forEach((r, i) => (r.name = `region${i}`));
  const regionAt = (base: number, size: number): FoundRegion | undefined => found.find((r) => base >= r.base && base + size <= r.base + r.size && base < r.base + r.size);
  const regionOver = (base: number, size: number): FoundRegion | undefined => found.find((r) => r.base >= base && r.base < base + size);

  const passThrough = (n: SnapshotNode): boolean => n.passThrough || (rules.passthrough === 'always' && n.children.length === 1);

  const portDecoders = (p: Numbered): Json[] => {
    const n = p.node;
    const dport = (port: number): Json => {
      const c = n.children.find((x) => x.port === port);
      return { target: c ? (input.bdfOf(c.portPath) ?? c.portPath) : `port ${port}`, position: 0, id: port };
    };
    if (passThrough(n)) {
      // devm_cxl_add_passthrough_decoder: one 1-way decoder to the single dport; it takes the region's range
      // when a region passes through.
      const only = n.children[0];
      const out: Json = { decoder: `decoder${p.id}.0` };
      const r = only ? found.find((x) => endpointsBelow(only.node).some((e) => e.decoders.some((d) => d.base === x.base))) : undefined;
      if (r) Object.assign(out, { resource: r.base, size: r.size, interleave_ways: 1, region: r.name });
      else Object.assign(out, { interleave_ways: 1, state: 'disabled' });
      return [{ ...out, nr_targets: 1, targets: only ? [{ ...dport(only.port), position: 0 }] : [] }];
    }
    const out: Json[] = [];
    for (let i = 0; i < n.decoderCount; i++) {
      const d = n.decoders.find((x) => x.index === i);
      if (!d) {
        const first = n.children[0];
        out.push({ decoder: `decoder${p.id}.${i}`, interleave_ways: 1, state: 'disabled', nr_targets: 1, targets: first ? [dport(first.port)] : [] });
        continue;
      }
      const r = regionAt(d.base, d.size);
      out.push({
        decoder: `decoder${p.id}.${i}`,
        resource: d.base,
        size: d.size,
        interleave_ways: d.ways,
        ...(d.ways > 1 ? { interleave_granularity: d.granularity } : {}),
        ...(r ? { region: r.name } : {}),
        nr_targets: d.ways,
        targets: d.targets.map((port, position) => ({ ...dport(port), position })),
      });
    }
    return out;
  };

  const endpointJson = (e: Numbered): Json => {
    const n = e.node;
    const m = input.memdevs.get(n.path);
    const mem = memName.get(n.path)!;
    const memdev: Json = { memdev: mem };
    if (m) {
      if (m.pmemBytes) memdev.pmem_size = m.pmemBytes;
      if (m.ramBytes) memdev.ram_size = m.ramBytes;
      memdev.serial = Number(m.serial);
    }
    const bdf = input.bdfOf(n.path);
    if (bdf) memdev.host = bdf;
    if (m)
      memdev.partition_info = {
        total_size: m.totalBytes,
        volatile_only_size: m.volatileOnlyBytes,
        persistent_only_size: m.persistentOnlyBytes,
        partition_alignment_size: m.partitionAlignBytes,
      };
    const decoders: Json[] = [];
    for (let i = 0; i < n.decoderCount; i++) {
      const d = n.decoders.find((x) => x.index === i);
      if (!d) {
        decoders.push({ decoder: `decoder${e.id}.${i}`, interleave_ways: 1, state: 'disabled' });
        continue;
      }
      const r = regionAt(d.base, d.size);
      const dpaSize = d.size / d.ways;
      decoders.push({
        decoder: `decoder${e.id}.${i}`,
        resource: d.base,
        size: d.size,
        interleave_ways: d.ways,
        ...(d.ways > 1 ? { interleave_granularity: d.granularity } : {}),
        ...(r ? { region: r.name } : {}),
        dpa_resource: d.dpaBase,
        dpa_size: dpaSize,
        mode: m && d.dpaBase >= m.ramBytes ? 'pmem' : 'ram',
      });
    }
    return { endpoint: `endpoint${e.id}`, host: mem, depth: e.depth, memdev, [`decoders:endpoint${e.id}`]: decoders };
  };

  const portJson = (p: Numbered, host: string): Json => {
    const n = p.node;
    const dports = n.children.map((c) => ({ dport: input.bdfOf(c.portPath) ?? c.portPath, id: c.port }));
    const out: Json = { port: `port${p.id}`, host, depth: p.depth, nr_dports: dports.length, dports };
    const subPorts = n.children.filter((c) => c.node.kind === 'switch').map((c) => ports.find((x) => x.node === c.node)!);
    if (subPorts.length) out[`ports:port${p.id}`] = subPorts.map((sp) => portJson(sp, input.bdfOf(sp.node.path) ?? sp.node.path));
    const eps = n.children.filter((c) => c.node.kind === 'endpoint').map((c) => endpoints.find((x) => x.node === c.node)!);
    if (eps.length) out[`endpoints:port${p.id}`] = eps.map(endpointJson);
    out[`decoders:port${p.id}`] = portDecoders(p);
    return out;
  };

  const acpiName = (i: number): string => `ACPI0016:${hex2(i)}`;
  const alias = (uid: number): Json => {
    const bus = input.rootBusOf(uid);
    return bus === null ? {} : { alias: `pci0000:${hex2(bus)}` };
  };
  const rootDecoders: Json[] = s.cedt.cfmws
    .filter((w) => w.error === undefined && w.ways !== null)
    .map((w, i) => {
      const inWindow = found.filter((r) => r.window === w.index);
      const used = inWindow.reduce((a, r) => a + r.size, 0);
      const out: Json = {
        decoder: `decoder0.${i}`,
        resource: w.base,
        size: w.size,
        interleave_ways: w.ways,
        ...(w.ways! > 1 ? { interleave_granularity: w.granularity } : {}),
        max_available_extent: w.size - used,
        pmem_capable: !!(w.restrictions & CFMWS_RESTRICT.pmem),
        volatile_capable: !!(w.restrictions & CFMWS_RESTRICT.volatile),
        accelmem_capable: !!(w.restrictions & CFMWS_RESTRICT.type2),
        nr_targets: w.ways,
        targets: w.targets.map((uid, position) => {
          const b = bridges.find((x) => x.chbs.uid === uid);
          return { target: b ? acpiName(b.index) : `uid ${uid}`, ...alias(uid), position, id: uid };
        }),
      };
      if (inWindow.length)
        out[`regions:decoder0.${i}`] = inWindow.map((r) => ({
          region: r.name,
          resource: r.base,
          size: r.size,
          interleave_ways: r.ways,
          interleave_granularity: r.granularity,
          decode_state: 'commit',
          mappings: regionMappings(s, r, memName, portId),
        }));
      return out;
    });
  return [
    {
      bus: 'root0',
      provider: 'ACPI.CXL',
      nr_dports: bridges.length,
      dports: bridges.map((b) => ({ dport: acpiName(b.index), ...alias(b.chbs.uid), id: b.chbs.uid })),
      'ports:root0': bridges.map((b) => portJson(ports.find((p) => p.node === b.tree)!, acpiName(b.index))),
      'decoders:root0': rootDecoders,
    },
  ];
}

function endpointsBelow(n: SnapshotNode): SnapshotNode[] {
  return n.kind === 'endpoint' ? [n] : n.children.flatMap((c) => endpointsBelow(c.node));
}

/**
 * Position -> memdev and endpoint decoder, as Linux computes positions (cxl_calc_interleave_pos): from the
 * endpoint up, pos = pos x ways + index of the child in the parent's decoder target list; a pass-through port is
 * 1-way; the root's index is the host bridge's place in the CFMWS target list.
 */
function regionMappings(s: DecodeSnapshot, r: FoundRegion, memName: ReadonlyMap<string, string>, portId: ReadonlyMap<string, number>): Json[] {
  const w = s.cedt.cfmws.find((x) => x.index === r.window);
  if (!w) return [];
  const out: Json[] = [];
  const visit = (n: SnapshotNode, levels: Array<{ k: number; ways: number }>): void => {
    if (n.kind === 'endpoint') {
      const d = n.decoders.find((x) => x.base === r.base && x.size === r.size);
      if (!d) return;
      let pos = 0;
      for (const l of [...levels].reverse()) pos = pos * l.ways + l.k;
      out.push({ position: pos, memdev: memName.get(n.path) ?? n.path, decoder: `decoder${portId.get(n.path)}.${d.index}` });
      return;
    }
    const d = n.decoders.find((x) => r.base >= x.base && r.base < x.base + x.size);
    for (const c of n.children) {
      if (d) {
        const k = d.targets.indexOf(c.port);
        if (k >= 0) visit(c.node, [...levels, { k, ways: d.ways }]);
      } else if (n.children.length === 1) visit(c.node, [...levels, { k: 0, ways: 1 }]);
    }
  };
  w.targets.forEach((uid, k) => {
    const hb = s.bridges.get(uid);
    if (hb) visit(hb, [{ k, ways: w.ways ?? 1 }]);
  });
  return out.sort((a, b) => (a.position as number) - (b.position as number));
}
