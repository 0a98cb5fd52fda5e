// What the real driver said, as steps with verdicts: from the guest console (markers, `cxl list` JSON, the
// region command's output, the kernel log). Probe results per memdev come from the kernel's own words:
// the CXL bus's "probe: N" debug lines (drivers/cxl/core/port.c cxl_bus_probe), the driver core's
// "probe of DEV failed with error -N" (drivers/base/dd.c), and cxl_pci's messages for the function.

import type { Verdict as StepVerdict } from '../../common/trace-sink.js';
import { readConsole, sectionJson } from './console-sections.js';

export interface GuestStep {
  name: string;
  verdict: StepVerdict;
  reason: string;
  evidence?: string;
}

export interface MemdevReport {
  /** "mem0" (null when the device never became a memdev). */
  memdev: string | null;
  /** PCI function "0000:0d:00.0". */
  host: string;
  /** Topology node, when the BDF was placed. */
  node: string | null;
  probed: boolean;
  /** Failing function and errno, from the kernel log. */
  failure?: string;
  pmemBytes?: number;
  ramBytes?: number;
  serial?: number;
  /** Endpoint decoder names. */
  decoders: string[];
}

export interface RegionReport {
  region: string;
  mode: string | null;
  ways: number;
  granularity: number;
  size: number | null;
  committed: boolean;
  memdevs: string[];
}

export interface GuestReport {
  kernel: string | null;
  modules: { name: string; ok: boolean }[];
  /** Endpoints the init script saw vs expected (null: the probe stage was not reached). */
  probe: { endpoints: number; expected: number; timedOut: boolean } | null;
  memdevs: MemdevReport[];
  /** Every decoder `cxl list` shows: name → owning port/endpoint. */
  decoders: { decoder: string; owner: string; state: string | null; ways: number | null }[];
  regions: RegionReport[];
  regionRequested: boolean;
  regionOutput: string[];
  finished: boolean;
  steps: GuestStep[];
}

/** errno values the CXL drivers return (include/uapi/asm-generic/errno-base.h, errno.h). */
const ERRNO: Readonly<Record<number, string>> = {
  1: 'EPERM', 2: 'ENOENT', 5: 'EIO', 6: 'ENXIO', 11: 'EAGAIN', 12: 'ENOMEM', 16: 'EBUSY', 19: 'ENODEV', 22: 'EINVAL',
  25: 'ENOTTY', 34: 'ERANGE', 95: 'EOPNOTSUPP', 110: 'ETIMEDOUT', 517: 'EPROBE_DEFER',
};
export const errnoName = (n: number): string => `${n < 0 ? '-' : ''}${ERRNO[Math.abs(n)] ?? `errno ${Math.abs(n)}`}`;

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Walk `cxl list -vvv` JSON: every object with its parent key. */
function walk(v: unknown, visit: (o: Json, key: string, owner: string | null) => void, key = '', owner: string | null = null): void {
  if (Array.isArray(v)) for (const x of v) walk(x, visit, key, owner);
  else if (isObj(v)) {
    visit(v, key, owner);
    const me = (v.endpoint ?? v.port ?? v.bus ?? owner) as string | null;
    for (const [k, x] of Object.entries(v)) if (typeof x === 'object') walk(x, visit, k, me);
  }
}

const KMSG = /^\[\s*\d+\.\d+\]\s+(\S+) (\S+): (.*)$/;

export function guestReport(consoleText: string, bdfToNode: Readonly<Record<string, string>> = {}): GuestReport {
  const { markers, sections } = readConsole(consoleText.replace(/\r/g, ''));
  const dmesg = sections.get('dmesg') ?? consoleText.split('\n').filter((l) => /^\[\s*\d+\.\d+\]/.test(l));
  const steps: GuestStep[] = [];
  const init = markers.find((m) => m.word === 'stage' && m.args[0] === 'init');
  const kernel = init?.kv.kernel ?? null;
  const modules = markers.filter((m) => m.word === 'modprobe').map((m) => ({ name: m.args[0], ok: m.args[1] === 'ok' }));
  const probedMark = markers.find((m) => m.word === 'probed' || m.word === 'probe-timeout');
  const probe = probedMark ? { endpoints: Number(probedMark.kv.endpoints), expected: Number(probedMark.kv.expected), timedOut: probedMark.word === 'probe-timeout' } : null;
  const finished = markers.some((m) => m.word === 'stage' && m.args[0] === 'done');

  steps.push(init ? { name: 'guest: boot', verdict: 'pass', reason: `Linux ${kernel} reached the bench's init` } : { name: 'guest: boot', verdict: 'fail', reason: 'the kernel never reached the init script (see the console)' });
  for (const m of modules) steps.push({ name: `guest: modprobe ${m.name}`, verdict: m.ok ? 'pass' : 'fail', reason: m.ok ? `${m.name} loaded` : `modprobe ${m.name} failed` });

  // cxl list: memdevs and decoders.
  const list = sectionJson(sections.get('cxl-list'));
  const byHost = new Map<string, MemdevReport>();
  const decoders: GuestReport['decoders'] = [];
  walk(list, (o, _key, owner) => {
    if (typeof o.memdev === 'string' && typeof o.host === 'string') {
      byHost.set(o.host, {
        memdev: o.memdev,
        host: o.host,
        node: bdfToNode[o.host.replace(/^0000:/, '')] ?? null,
        probed: true,
        ...(typeof o.pmem_size === 'number' ? { pmemBytes: o.pmem_size } : {}),
        ...(typeof o.ram_size === 'number' ? { ramBytes: o.ram_size } : {}),
        ...(typeof o.serial === 'number' ? { serial: o.serial } : {}),
        decoders: [],
      });
    }
    if (typeof o.decoder === 'string') decoders.push({ decoder: o.decoder, owner: owner ?? '?', state: typeof o.state === 'string' ? o.state : null, ways: typeof o.interleave_ways === 'number' ? o.interleave_ways : null });
  });
  // Endpoint decoders belong to the memdev whose endpoint object holds them.
  walk(list, (o) => {
    if (typeof o.endpoint !== 'string' || !isObj(o.memdev)) return;
    const host = (o.memdev as Json).host;
    const m = typeof host === 'string' ? byHost.get(host) : undefined;
    if (m) m.decoders = decoders.filter((d) => d.owner === o.endpoint).map((d) => d.decoder);
  });

  // Kernel log: PCI functions cxl_pci bound or failed, and the bus's probe results.
  const failures = new Map<string, string>();
  const lastMsg = new Map<string, string>();
  const cxlPciDevs = new Set<string>();
  for (const line of dmesg) {
    const k = KMSG.exec(line);
    const fail = /(\S+): probe of (\S+) failed with error (-?\d+)/.exec(line) ?? /(\S+) (\S+): probe with driver \S+ failed with error (-?\d+)/.exec(line);
    if (fail) {
      const dev = fail[2];
      failures.set(dev, `${fail[1]} probe failed with ${errnoName(Number(fail[3]))} (${fail[3]})${lastMsg.has(dev) ? `; the driver's last words: "${lastMsg.get(dev)}"` : ''}`);
      continue;
    }
    if (!k) continue;
    const [, driver, dev, msg] = k;
    if (driver === 'cxl_pci' && /^0000:/.test(dev)) cxlPciDevs.add(dev);
    lastMsg.set(dev, msg);
    const p = /^probe: (-?\d+)$/.exec(msg);
    if (p && Number(p[1]) !== 0) failures.set(dev, `${driver} ${dev} probe returned ${errnoName(Number(p[1]))} (${p[1]})`);
  }
  for (const dev of cxlPciDevs) {
    if (!byHost.has(dev)) byHost.set(dev, { memdev: null, host: dev, node: bdfToNode[dev.replace(/^0000:/, '')] ?? null, probed: false, decoders: [] });
  }
  // cxl_pci functions that failed but printed nothing else.
  for (const [dev, why] of failures) {
    if (/^0000:/.test(dev) && !byHost.has(dev)) byHost.set(dev, { memdev: null, host: dev, node: bdfToNode[dev.replace(/^0000:/, '')] ?? null, probed: false, failure: why, decoders: [] });
  }
  const memdevs = [...byHost.values()].sort((a, b) => a.host.localeCompare(b.host));
  for (const m of memdevs) {
    const f = failures.get(m.host) ?? (m.memdev ? failures.get(m.memdev) : undefined);
    if (f) {
      m.probed = false;
      m.failure = f;
    }
    const who = `${m.node ?? m.host}${m.memdev ? ` (${m.memdev})` : ''}`;
    if (m.probed) {
      const cap = [m.pmemBytes ? `pmem ${m.pmemBytes / 2 ** 20} MiB` : '', m.ramBytes ? `ram ${m.ramBytes / 2 ** 20} MiB` : ''].filter(Boolean).join(', ');
      steps.push({ name: `linux: probe ${who}`, verdict: 'pass', reason: `cxl_pci and cxl_mem bound ${m.host}${cap ? `; ${cap}` : ''}${m.serial !== undefined ? `; serial 0x${m.serial.toString(16)}` : ''}`, evidence: `decoders: ${m.decoders.join(', ') || 'none'}` });
    } else steps.push({ name: `linux: probe ${who}`, verdict: 'fail', reason: m.failure ?? `${m.host} has no memdev in cxl list` });
  }
  if (probe) {
    steps.push({
      name: 'linux: endpoints',
      verdict: probe.endpoints >= probe.expected ? 'pass' : 'fail',
      reason: probe.timedOut ? `only ${probe.endpoints} of ${probe.expected} endpoint ports appeared before the probe timeout` : `${probe.endpoints} of ${probe.expected} endpoint ports probed`,
    });
  } else if (init) steps.push({ name: 'linux: endpoints', verdict: 'fail', reason: 'the guest never reached the probe stage' });
  if (list !== null) {
    const endpointsWithout = memdevs.filter((m) => m.probed && m.decoders.length === 0);
    steps.push({
      name: 'linux: decoders',
      verdict: decoders.length && !endpointsWithout.length ? 'pass' : 'fail',
      reason: decoders.length ? `${decoders.length} decoders enumerated (${decoders.map((d) => `${d.decoder}@${d.owner}`).join(', ')})${endpointsWithout.length ? `; no decoder on ${endpointsWithout.map((m) => m.memdev).join(', ')}` : ''}` : 'cxl list shows no decoder',
    });
  } else if (markers.some((m) => m.word === 'no-cxl-tool')) steps.push({ name: 'linux: cxl list', verdict: 'warn', reason: "ndctl's cxl is not in the initramfs (install ndctl): no memdev/decoder/region report" });

  // Region.
  const regionRequested = markers.some((m) => m.word === 'stage' && m.args[0] === 'region');
  const regionOutput = sections.get('region-out') ?? [];
  const regions: RegionReport[] = [];
  const regionCmd = markers.find((m) => m.word === 'region-cmd');
  const regionMode = regionCmd ? (regionCmd.args[regionCmd.args.indexOf('-t') + 1] ?? null) : null; // 6.1's cxl list prints no region type
  walk(sectionJson(sections.get('cxl-list-regions')), (o) => {
    if (typeof o.region !== 'string' || typeof o.decode_state !== 'string') return; // decoders name their region too
    if (regions.some((r) => r.region === o.region)) return;
    const mappings = Array.isArray(o.mappings) ? (o.mappings as Json[]) : [];
    regions.push({
      region: o.region,
      mode: typeof o.type === 'string' ? o.type : regionMode,
      ways: typeof o.interleave_ways === 'number' ? o.interleave_ways : 0,
      granularity: typeof o.interleave_granularity === 'number' ? o.interleave_granularity : 0,
      size: typeof o.size === 'number' ? o.size : null,
      committed: o.decode_state === 'commit',
      memdevs: mappings.map((x) => String(x.memdev)),
    });
  });
  if (regionRequested) {
    const cmd = markers.find((m) => m.word === 'region-cmd');
    const ok = regions.find((r) => r.committed);
    const errors = regionOutput.filter((l) => /^cxl region:/.test(l) && !/created \d+ region/.test(l));
    steps.push(
      ok
        ? { name: 'linux: region', verdict: 'pass', reason: `${ok.region} committed: ${ok.ways}-way, granularity ${ok.granularity}${ok.size ? `, ${ok.size / 2 ** 20} MiB` : ''} over ${ok.memdevs.join(', ')}`, evidence: cmd ? cmd.args.join(' ') : undefined }
        : { name: 'linux: region', verdict: 'fail', reason: errors.length ? errors.join('; ') : 'no committed region after cxl create-region', evidence: cmd ? cmd.args.join(' ') : undefined },
    );
  }
  if (!finished && init) steps.push({ name: 'guest: finish', verdict: 'fail', reason: `the guest stopped after stage "${markers.filter((m) => m.word === 'stage').at(-1)?.args[0] ?? '?'}"` });
  return { kernel, modules, probe, memdevs, decoders, regions, regionRequested, regionOutput, finished, steps };
}
