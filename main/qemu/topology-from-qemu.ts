// A topology file from what QEMU was given or did: a QEMU command line (the CXL -device, -object and
// -M cxl-fmw options: exact, sizes included) or a QEMU trace log (structure only: which CXL functions sat on
// which bus below which bridge, from the secondary bus numbers the guest wrote; capacities are not in a log,
// so endpoints get QEMU 7.2's 256 MiB persistent default and a note says so).

import type { RawTopology } from '../../emulator/topology/schema.js';
import { formatQemuBdf, parseQemuLine } from '../../trace/formats/qemu-events.js';
import { splitLines } from '../../trace/formats/import-error.js';
import { QEMU_7_2 } from './qemu-facts.js';

export interface FromQemuResult {
  topology: RawTopology;
  /** What could not be taken from the input (said, not guessed silently). */
  notes: string[];
}

type Props = Record<string, string>;
const props = (spec: string): { type: string; p: Props } => {
  const [type, ...kv] = spec.split(',');
  const p: Props = {};
  for (const x of kv) {
    const eq = x.indexOf('=');
    if (eq > 0) p[x.slice(0, eq)] = x.slice(eq + 1);
  }
  return { type, p };
};

/** Shell-like words of a command line (quotes, backslash-newlines). */
export function splitCommandLine(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: '"' | "'" | null = null;
  let has = false;
  const t = text.replace(/\\\r?\n/g, ' ');
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (quote) {
      if (c === quote) quote = null;
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (/\s/.test(c)) {
      if (cur || has) out.push(cur);
      cur = '';
      has = false;
    } else cur += c;
  }
  if (cur || has) out.push(cur);
  return out;
}

const sizeOf = (s: string | undefined): number | null => {
  if (s === undefined) return null;
  const m = /^(\d+)([kKmMgGtT]?)[bB]?$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
};

interface RawPortX {
  port: number;
  endpoint?: Record<string, unknown>;
  switch?: { decoders: number; downstreamPorts: RawPortX[] };
}

/** From a QEMU command line. Throws an Error naming what is inconsistent (a bus id nothing defines). */
export function topologyFromCommandLine(text: string, name = 'from-qemu'): FromQemuResult {
  const argv = splitCommandLine(text);
  const notes: string[] = [];
  const objects = new Map<string, Props>();
  const devices: { type: string; p: Props }[] = [];
  const machine: Props = {};
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1];
    if ((argv[i] === '-object' || argv[i] === '-device') && next !== undefined) {
      const d = props(next);
      if (argv[i] === '-object') objects.set(d.p.id ?? '', d.p);
      else devices.push(d);
      i++;
    } else if ((argv[i] === '-M' || argv[i] === '-machine') && next !== undefined) {
      for (const x of next.split(',')) {
        const eq = x.indexOf('=');
        if (eq > 0) machine[x.slice(0, eq)] = x.slice(eq + 1);
      }
      i++;
    }
  }
  const hbs: { id: string; uid: number; rootPorts: RawPortX[] }[] = [];
  const ports = new Map<string, RawPortX>();
  const usps = new Map<string, RawPortX['switch']>();
  const need = (what: string, id: string | undefined) => {
    throw new Error(`${what}: bus=${id ?? '(none)'} names no device defined before it`);
  };
  let serial = 0;
  for (const { type, p } of devices) {
    if (type === 'pxb-cxl') {
      const bus = Number(p.bus_nr ?? 0);
      hbs.push({ id: p.id ?? `pxb${hbs.length}`, uid: bus, rootPorts: [] });
    } else if (type === 'cxl-rp') {
      const hb = hbs.find((h) => h.id === p.bus) ?? need(`cxl-rp ${p.id ?? ''}`, p.bus);
      const port: RawPortX = { port: Number(p.port ?? hb.rootPorts.length) };
      hb.rootPorts.push(port);
      ports.set(p.id ?? '', port);
    } else if (type === 'cxl-upstream') {
      const rp = ports.get(p.bus ?? '') ?? need(`cxl-upstream ${p.id ?? ''}`, p.bus);
      rp.switch = { decoders: QEMU_7_2.hdmDecoders, downstreamPorts: [] };
      usps.set(p.id ?? '', rp.switch);
    } else if (type === 'cxl-downstream') {
      const sw = usps.get(p.bus ?? '') ?? need(`cxl-downstream ${p.id ?? ''}`, p.bus);
      const port: RawPortX = { port: Number(p.port ?? sw.downstreamPorts.length) };
      sw.downstreamPorts.push(port);
      ports.set(p.id ?? '', port);
    } else if (type === 'cxl-type3') {
      const port = ports.get(p.bus ?? '') ?? need(`cxl-type3 ${p.id ?? ''}`, p.bus);
      const pmemId = p['persistent-memdev'] ?? p.memdev;
      const capacity: Record<string, number> = {};
      const pmem = pmemId !== undefined ? sizeOf(objects.get(pmemId)?.size) : null;
      const vmem = p['volatile-memdev'] !== undefined ? sizeOf(objects.get(p['volatile-memdev'])?.size) : null;
      if (pmem) capacity.persistent = pmem;
      if (vmem) capacity.volatile = vmem;
      if (pmemId !== undefined && !pmem) notes.push(`${p.id}: the size of memory backend ${pmemId} is not on the command line`);
      const lsa = p.lsa !== undefined ? sizeOf(objects.get(p.lsa)?.size) : 0;
      port.endpoint = {
        capacity,
        lsa: lsa ?? 0,
        serial: p.sn !== undefined ? (/^0x/i.test(p.sn) ? p.sn : `0x${BigInt(p.sn).toString(16)}`) : `0x${(0x1000 + serial).toString(16)}`,
        decoders: QEMU_7_2.hdmDecoders,
        profile: 'qemu',
      };
      if (p.sn === undefined) notes.push(`${p.id}: no sn= on the command line (QEMU reports serial 0); the topology gives a placeholder`);
      serial++;
    }
  }
  const windows: RawTopology['windows'] = [];
  let base = QEMU_7_2.windowBase;
  for (let n = 0; machine[`cxl-fmw.${n}.size`] !== undefined || machine[`cxl-fmw.${n}.targets.0`] !== undefined; n++) {
    const targets: number[] = [];
    for (let k = 0; machine[`cxl-fmw.${n}.targets.${k}`] !== undefined; k++) {
      const hb = hbs.find((h) => h.id === machine[`cxl-fmw.${n}.targets.${k}`]);
      if (!hb) throw new Error(`cxl-fmw.${n}.targets.${k}=${machine[`cxl-fmw.${n}.targets.${k}`]} names no pxb-cxl`);
      targets.push(hb.uid);
    }
    const size = sizeOf(machine[`cxl-fmw.${n}.size`]) ?? 0;
    windows.push({ base: `0x${base.toString(16)}`, size, targets, granularity: sizeOf(machine[`cxl-fmw.${n}.interleave-granularity`]) ?? 256, restrictions: ['type2', 'type3', 'volatile', 'persistent'] });
    base += size;
  }
  if (!hbs.length) throw new Error('no -device pxb-cxl on the command line: not a CXL machine');
  const topology: RawTopology = {
    name,
    hostBridges: hbs.map((h, i) => ({ uid: h.uid, bus: h.uid, decoders: QEMU_7_2.hdmDecoders, chbcr: `0x${(QEMU_7_2.chbcrBase + i * QEMU_7_2.chbcrStride).toString(16)}`, rootPorts: h.rootPorts as never })),
    windows,
  };
  return { topology, notes };
}

const ROLE: Readonly<Record<string, string>> = { 'cxl-rp': 'rp', 'cxl-upstream': 'usp', 'cxl-downstream': 'dsp', 'cxl-type3': 'ep' };

/** From a QEMU trace log: the CXL functions and how they hang together (structure only). */
export function topologyFromLog(text: string, name = 'from-qemu-log'): FromQemuResult {
  const notes: string[] = ['capacities, LSA sizes, serial numbers and windows are not in a trace log: endpoints get 256 MiB persistent (QEMU 7.2 default), one 4 GiB window over every host bridge'];
  const types = new Map<string, string>(); // bdf → device type
  const secondary = new Map<string, number>();
  for (const line of splitLines(text)) {
    const e = parseQemuLine(line);
    if (!e || e.kind !== 'cfg') continue;
    const bdf = formatQemuBdf(e);
    if (ROLE[e.device]) types.set(bdf, e.device);
    // Secondary bus number (config byte 0x19) as the guest last wrote or read it; width from the offset.
    if (e.offset === 0x19) secondary.set(bdf, e.value & 0xff);
    else if (e.offset === 0x18) secondary.set(bdf, (e.value >>> 8) & 0xff);
  }
  const onBus = (bus: number) => [...types.entries()].filter(([b]) => parseInt(b.slice(0, 2), 16) === bus).sort(([a], [b]) => a.localeCompare(b));
  const below = new Set<number>();
  for (const [b, t] of types) if (t !== 'cxl-type3') below.add(secondary.get(b) ?? -1);
  // Root buses: buses with root ports that no bridge leads to.
  const rootBuses = [...new Set([...types.entries()].filter(([, t]) => t === 'cxl-rp').map(([b]) => parseInt(b.slice(0, 2), 16)))].filter((b) => !below.has(b)).sort((a, b) => a - b);
  let serial = 0;
  const portFrom = (bdf: string, i: number): RawPortX => {
    const port: RawPortX = { port: i };
    const sec = secondary.get(bdf);
    const child = sec !== undefined ? onBus(sec)[0] : undefined;
    if (child?.[1] === 'cxl-type3') port.endpoint = { capacity: { persistent: '256MiB' }, lsa: 0, serial: `0x${(0x1000 + serial++).toString(16)}`, decoders: QEMU_7_2.hdmDecoders, profile: 'qemu' };
    else if (child?.[1] === 'cxl-upstream') {
      const usp = child[0];
      const usec = secondary.get(usp);
      port.switch = { decoders: QEMU_7_2.hdmDecoders, downstreamPorts: usec === undefined ? [] : onBus(usec).filter(([, t]) => t === 'cxl-downstream').map(([b], k) => portFrom(b, k)) };
    }
    return port;
  };
  if (!rootBuses.length) throw new Error('no cxl-rp config cycle in the log: not a CXL machine, or config tracing was off (-trace pci_cfg_read)');
  const hostBridges = rootBuses.map((bus, i) => ({
    uid: bus,
    bus,
    decoders: QEMU_7_2.hdmDecoders,
    chbcr: `0x${(QEMU_7_2.chbcrBase + i * QEMU_7_2.chbcrStride).toString(16)}`,
    rootPorts: onBus(bus).filter(([, t]) => t === 'cxl-rp').map(([b], k) => portFrom(b, k)) as never,
  }));
  return { topology: { name, hostBridges, windows: [{ base: `0x${QEMU_7_2.windowBase.toString(16)}`, size: '4GiB', targets: rootBuses, granularity: 256, restrictions: ['type2', 'type3', 'volatile', 'persistent'] }] }, notes };
}

/** A command line if the text has "-device", else a trace log. */
export function topologyFromQemu(text: string, name?: string): FromQemuResult {
  return /(^|\s)-device\s/.test(text) ? topologyFromCommandLine(text, name) : topologyFromLog(text, name);
}
