// `topology from-qemu LOG|CMDLINE` (issue 14): a topology file for a QEMU capture, so it can be imported and
// replayed on exactly its own topology.
//
// From a command line (the complete answer): each -device pxb-cxl (bus_nr = the host bridge's uid and bus),
// cxl-rp (port), cxl-upstream / cxl-downstream (a switch and its ports), cxl-type3 (memdev / volatile-memdev /
// lsa sizes from their -object memory-backend-*, sn), and the -M cxl-fmw.N windows (targets, size,
// interleave-granularity). Node paths follow the topology's own naming (hbN.rpP[.sw0.dspQ].ep0).
//
// From a trace log (what the log shows): the CXL functions (trace/formats/qemu-devices.ts) and the buses the
// guest gave each bridge (secondary bus, config byte 0x19) build the tree; host bridges are taken in bus order
// and root-port buses assigned to them in the same order. A log does not show memory sizes, serial numbers or
// windows: endpoints get 256 MiB persistent and one 4 GiB window spans every host bridge (edit the file).

import { formatQemuBdf, parseQemuLine } from '../../trace/formats/qemu-events.js';
import { splitLines } from '../../trace/formats/import-error.js';
import { QEMU_7_2 } from '../qemu/qemu-facts.js';

/** QEMU 7.2's components each have one HDM decoder (main/qemu/qemu-facts.ts). */
const DECODERS = QEMU_7_2.hdmDecoders;

interface RawEndpoint {
  decoders: number;
  capacity: { volatile?: number; persistent?: number };
  lsa?: number;
  serial?: string;
  profile: 'qemu';
}
interface RawPort {
  port: number;
  endpoint?: RawEndpoint;
  switch?: { decoders: number; downstreamPorts: RawPort[] };
}
interface RawHostBridge {
  decoders: number;
  uid: number;
  bus: number;
  rootPorts: RawPort[];
}
export interface DerivedTopology {
  name: string;
  hostBridges: RawHostBridge[];
  windows: { size: number; targets: number[]; granularity: number }[];
}

export class FromQemuError extends Error {}

/** Shell-like words of a command line: quotes, backslash-newline continuations. */
function words(text: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"((?:[^"\\]|\\.)*)"|(\\\n)|(\S+)/g;
  let cur: string | null = null;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(text))) {
    const gap = text.slice(last, m.index);
    if (cur !== null && /\s/.test(gap)) {
      out.push(cur);
      cur = null;
    }
    last = re.lastIndex;
    if (m[3]) continue;
    cur = (cur ?? '') + (m[1] ?? m[2] ?? m[4]);
  }
  if (cur !== null) out.push(cur);
  return out.filter((w) => w !== '\\');
}

const props = (s: string): { type: string; p: Record<string, string> } => {
  const [type, ...rest] = s.split(',');
  const p: Record<string, string> = {};
  for (const kv of rest) {
    const at = kv.indexOf('=');
    if (at > 0) p[kv.slice(0, at)] = kv.slice(at + 1);
  }
  return { type, p };
};

const num = (s: string | undefined, what: string): number => {
  const n = s === undefined ? NaN : Number(s);
  if (!Number.isSafeInteger(n)) throw new FromQemuError(`${what}: "${s ?? ''}" is not a number`);
  return n;
};

/** A topology from a QEMU command line. */
export function topologyFromCmdline(text: string, name: string): DerivedTopology {
  const w = words(text);
  const sizes = new Map<string, number>();
  const devices: { type: string; p: Record<string, string> }[] = [];
  const machine: Record<string, string> = {};
  for (let i = 0; i < w.length - 1; i++) {
    if (w[i] === '-object') {
      const o = props(w[i + 1]);
      if (o.type.startsWith('memory-backend') && o.p.id && o.p.size) sizes.set(o.p.id, parseSize(o.p.size));
    } else if (w[i] === '-device') devices.push(props(w[i + 1]));
    else if (w[i] === '-M' || w[i] === '-machine') for (const kv of w[i + 1].split(',')) if (kv.startsWith('cxl-fmw.')) machine[kv.slice(0, kv.indexOf('='))] = kv.slice(kv.indexOf('=') + 1);
  }
  const childrenOf = (id: string) => devices.filter((d) => d.p.bus === id);
  const endpoint = (d: { p: Record<string, string> }): RawEndpoint => {
    const size = (key: string): number | undefined => (d.p[key] ? sizes.get(d.p[key]) : undefined);
    const e: RawEndpoint = { decoders: DECODERS, capacity: {}, profile: 'qemu' };
    const pm = size('memdev') ?? size('persistent-memdev');
    const vm = size('volatile-memdev');
    if (pm) e.capacity.persistent = pm;
    if (vm) e.capacity.volatile = vm;
    const lsa = size('lsa');
    if (lsa) e.lsa = lsa;
    if (d.p.sn) e.serial = d.p.sn;
    return e;
  };
  const port = (d: { p: Record<string, string> }, index: number): RawPort => {
    const out: RawPort = { port: d.p.port !== undefined ? num(d.p.port, `${d.p.id} port`) : index };
    const below = childrenOf(d.p.id);
    const t3 = below.find((c) => c.type === 'cxl-type3');
    const usp = below.find((c) => c.type === 'cxl-upstream');
    if (t3) out.endpoint = endpoint(t3);
    else if (usp) out.switch = { decoders: DECODERS, downstreamPorts: childrenOf(usp.p.id).filter((c) => c.type === 'cxl-downstream').map(port) };
    return out;
  };
  const hbs = devices.filter((d) => d.type === 'pxb-cxl');
  if (!hbs.length) throw new FromQemuError('no -device pxb-cxl in the command line');
  const uid = new Map<string, number>();
  const hostBridges = hbs.map((hb) => {
    const bus = num(hb.p.bus_nr, `pxb-cxl ${hb.p.id ?? ''} bus_nr`);
    if (hb.p.id) uid.set(hb.p.id, bus);
    return { decoders: DECODERS, uid: bus, bus, rootPorts: childrenOf(hb.p.id).filter((c) => c.type === 'cxl-rp').map(port) };
  });
  const windows: DerivedTopology['windows'] = [];
  for (let n = 0; machine[`cxl-fmw.${n}.size`] !== undefined; n++) {
    const targets: number[] = [];
    for (let k = 0; machine[`cxl-fmw.${n}.targets.${k}`] !== undefined; k++) {
      const t = machine[`cxl-fmw.${n}.targets.${k}`];
      const u = uid.get(t);
      if (u === undefined) throw new FromQemuError(`cxl-fmw.${n}.targets.${k}: no pxb-cxl with id ${t}`);
      targets.push(u);
    }
    windows.push({ size: parseSize(machine[`cxl-fmw.${n}.size`]), targets, granularity: Number(machine[`cxl-fmw.${n}.interleave-granularity`] ?? 256) });
  }
  return { name, hostBridges, windows: windows.length ? windows : [{ size: 4 * 2 ** 30, targets: hostBridges.map((h) => h.uid), granularity: 256 }] };
}

function parseSize(s: string): number {
  const m = /^(\d+)([KMGT]?)$/i.exec(s.trim());
  if (!m) throw new FromQemuError(`size "${s}" is not a number of bytes`);
  const mult = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 }[m[2].toUpperCase() as '' | 'K' | 'M' | 'G' | 'T'];
  return Number(m[1]) * mult;
}

/** A topology from a QEMU trace log (see the top of the file for what it cannot know). */
export function topologyFromLog(text: string, name: string): DerivedTopology {
  const fns = new Map<string, { type: string; bus: number }>();
  const secondary = new Map<string, number>();
  for (const raw of splitLines(text)) {
    const p = parseQemuLine(raw);
    if (!p || p.kind !== 'cfg') continue;
    const bdf = formatQemuBdf(p);
    if (!fns.has(bdf)) fns.set(bdf, { type: p.device, bus: p.bus });
    if (p.op === 'W' && (p.offset === 0x19 || p.offset === 0x18)) {
      const sec = p.offset === 0x19 ? p.value & 0xff : (p.value >>> 8) & 0xff;
      if (sec !== 0 && sec !== 0xff) secondary.set(bdf, sec);
    }
  }
  const list = [...fns].map(([bdf, f]) => ({ bdf, ...f })).sort((a, b) => a.bdf.localeCompare(b.bdf));
  const onBus = (bus: number, type: string) => list.filter((f) => f.bus === bus && f.type === type);
  const port = (f: { bdf: string }, index: number): RawPort => {
    const out: RawPort = { port: index };
    const sec = secondary.get(f.bdf);
    if (sec === undefined) return out;
    if (onBus(sec, 'cxl-type3').length) out.endpoint = { decoders: DECODERS, capacity: { persistent: 256 * 2 ** 20 }, profile: 'qemu' };
    else {
      const usp = onBus(sec, 'cxl-upstream')[0];
      const dspBus = usp ? secondary.get(usp.bdf) : undefined;
      if (usp && dspBus !== undefined) out.switch = { decoders: DECODERS, downstreamPorts: onBus(dspBus, 'cxl-downstream').map(port) };
    }
    return out;
  };
  const pxbs = list.filter((f) => f.type === 'pxb-cxl');
  // Root ports sit on their host bridge's bus (its bus_nr): group them by bus, in order, one group per pxb-cxl.
  const rpBuses = [...new Set(list.filter((f) => f.type === 'cxl-rp').map((f) => f.bus))].sort((a, b) => a - b);
  if (!rpBuses.length) throw new FromQemuError('the log has no config cycles of a cxl-rp (is it a trace with pci_cfg_read/write?)');
  const count = Math.max(pxbs.length, rpBuses.length);
  const hostBridges = Array.from({ length: count }, (_, i) => {
    const bus = rpBuses[i] ?? rpBuses[rpBuses.length - 1] + i;
    return { decoders: DECODERS, uid: bus, bus, rootPorts: onBus(bus, 'cxl-rp').map(port) };
  });
  return { name, hostBridges, windows: [{ size: 4 * 2 ** 30, targets: hostBridges.map((h) => h.uid), granularity: 256 }] };
}

/** A command line (has "-device") or a trace log. */
export function topologyFromQemu(text: string, name: string): { topology: DerivedTopology; from: 'command line' | 'trace log' } {
  return /(^|\s)-device\s/.test(text) ? { topology: topologyFromCmdline(text, name), from: 'command line' } : { topology: topologyFromLog(text, name), from: 'trace log' };
}
