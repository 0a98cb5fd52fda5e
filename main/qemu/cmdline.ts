// Topology → QEMU command line (the machine and its CXL devices; boot.ts adds kernel, initramfs and tracing).
// pxb-cxl host bridges, cxl-rp root ports, cxl-upstream / cxl-downstream switch ports, cxl-type3 devices with a
// memory backend and an LSA backend, and -M cxl-fmw.N windows. Whatever the target QEMU cannot express is
// refused with the topology field that asks for it and why (facts: qemu-facts.ts). The plan also says where
// every node lands (bus number, slot, CHBCR), which the trace importer uses to put QEMU's accesses on nodes.

import type { EndpointNode, HostBridgeNode, PortNode, SwitchNode, Topology, TopologyError } from '../../emulator/topology/types.js';
import { GUEST_RAM_MIB, QEMU_7_2, QEMU_7_2_CAPS, type QemuCaps, type QemuCxlFacts } from './qemu-facts.js';

/** QEMU -device types of the CXL topology. */
export type QemuCxlDeviceType = 'pxb-cxl' | 'cxl-rp' | 'cxl-upstream' | 'cxl-downstream' | 'cxl-type3';

/** One planned QEMU device and the topology node it is. */
export interface PlannedDevice {
  type: QemuCxlDeviceType;
  /** Topology node path (also the QEMU id). */
  node: string;
  /** Node path of the device it sits below (null for a host bridge). */
  parent: string | null;
  /** PCI slot on its parent's secondary bus (the `addr=` given; 0 for switch USPs and endpoints). */
  slot: number;
  /** Host bridges: the root bus number (bus_nr), which is also the ACPI _UID QEMU reports. */
  busNr?: number;
  /** Host bridges: CHBCR base QEMU puts the component registers at. */
  chbcr?: number;
}

export interface PlannedWindow {
  name: string;
  base: number;
  size: number;
  targets: string[];
  granularity: number;
}

export interface QemuPlan {
  topology: string;
  /** Everything after the binary except boot and trace options. */
  args: string[];
  devices: PlannedDevice[];
  windows: PlannedWindow[];
  /** Type 3 devices, in command-line order. */
  endpoints: string[];
  /** Fields QEMU cannot make exactly as written but the run can go on (the plan says what QEMU does). */
  warnings: TopologyError[];
  facts: QemuCxlFacts;
}

export type QemuPlanResult = { ok: true; plan: QemuPlan } | { ok: false; errors: TopologyError[] };

const hex = (n: number): string => `0x${n.toString(16)}`;

/** Buses a port's subtree uses (its secondary bus and everything below). */
function busesBelow(p: PortNode): number {
  if (!p.child || p.child.kind === 'endpoint') return 1;
  return 1 + 1 + p.child.downstreamPorts.reduce((n, d) => n + busesBelow(d), 0);
}

export function planQemu(topology: Topology, caps: QemuCaps = QEMU_7_2_CAPS, facts: QemuCxlFacts = QEMU_7_2): QemuPlanResult {
  const errors: TopologyError[] = [];
  const warnings: TopologyError[] = [];
  const devices: PlannedDevice[] = [];
  const objects: string[] = [];
  const deviceArgs: string[] = [];
  const endpoints: string[] = [];
  let slotCounter = 0; // chassis/slot pairs must be unique across root ports and downstream ports
  const uidToHb = new Map<number, string>();
  const err = (path: string, message: string) => errors.push({ path, message });

  const endpoint = (e: EndpointNode, at: string, parent: string) => {
    if (e.backend) err(`${at}.backend`, `a hardware endpoint (${e.backend.link}) cannot be placed in QEMU; remove the backend to emulate it there`);
    if (e.volatileBytes > 0 && !caps.volatileMemdev)
      err(`${at}.capacity.volatile`, `QEMU ${facts.version}'s cxl-type3 has only a persistent memory backend (memdev=); volatile capacity needs QEMU 8.0 or later (volatile-memdev=)`);
    if (e.partitionableBytes > 0) err(`${at}.capacity.partitionable`, `QEMU's cxl-type3 has no partitionable capacity (Set Partition Info is not implemented)`);
    if (e.persistentBytes === 0 && !(caps.volatileMemdev && e.volatileBytes > 0))
      err(`${at}.capacity.persistent`, `QEMU ${facts.version}'s cxl-type3 needs persistent capacity (its memdev= backend)`);
    if (e.decoders !== facts.hdmDecoders)
      err(`${at}.decoders`, `QEMU ${facts.version}'s cxl-type3 has ${facts.hdmDecoders} HDM decoder${facts.hdmDecoders === 1 ? '' : 's'} (fixed); the topology asks for ${e.decoders}`);
    if (e.nonCxlFunctions) err(`${at}.nonCxlFunctions`, 'QEMU cannot add non-CXL functions to a cxl-type3');
    if (e.mld) err(`${at}.mld`, 'QEMU emulates single-logical devices only');
    if (e.serial >= 2n ** 64n - 1n) err(`${at}.serial`, 'QEMU reserves serial 0xffffffffffffffff for "none"');
    const id = e.path;
    const props = [`cxl-type3`, `bus=${parent}`, `id=${id}`, `sn=0x${e.serial.toString(16)}`];
    if (e.persistentBytes > 0) {
      objects.push('-object', `memory-backend-ram,id=${id}.pmem,size=${e.persistentBytes}`);
      props.push(`${caps.persistentMemdev}=${id}.pmem`);
    }
    if (e.volatileBytes > 0 && caps.volatileMemdev) {
      objects.push('-object', `memory-backend-ram,id=${id}.vmem,size=${e.volatileBytes}`);
      props.push(`volatile-memdev=${id}.vmem`);
    }
    if (e.lsaBytes > 0) {
      objects.push('-object', `memory-backend-ram,id=${id}.lsa,size=${e.lsaBytes}`);
      props.push(`lsa=${id}.lsa`);
    }
    deviceArgs.push('-device', props.join(','));
    devices.push({ type: 'cxl-type3', node: e.path, parent, slot: 0 });
    endpoints.push(e.path);
  };

  const switchNode = (s: SwitchNode, at: string, parent: string, depth: number) => {
    if (depth > facts.maxSwitchDepth) {
      err(at, `QEMU ${facts.version} routes CXL memory through ${facts.maxSwitchDepth} switch level only; this switch is at level ${depth}`);
      return;
    }
    if (s.decoders !== facts.hdmDecoders)
      err(`${at}.decoders`, `QEMU ${facts.version}'s cxl-upstream has ${facts.hdmDecoders} HDM decoder (fixed); the topology asks for ${s.decoders}`);
    if (s.downstreamPorts.length > 32) err(`${at}.downstreamPorts`, 'at most 32 downstream ports fit on the switch bus');
    const usp = `${s.path}.usp`;
    deviceArgs.push('-device', `cxl-upstream,bus=${parent},id=${usp}`);
    devices.push({ type: 'cxl-upstream', node: usp, parent, slot: 0 });
    s.downstreamPorts.forEach((d, k) => port(d, `${at}.downstreamPorts[${k}]`, usp, k, 'cxl-downstream', depth));
  };

  const port = (p: PortNode, at: string, parent: string, slot: number, type: 'cxl-rp' | 'cxl-downstream', depth: number) => {
    const props = [type, `bus=${parent}`, `id=${p.path}`, `port=${p.port}`, `addr=${hex(slot)}.0`, `chassis=0`, `slot=${slotCounter++}`];
    deviceArgs.push('-device', props.join(','));
    devices.push({ type, node: p.path, parent, slot });
    if (p.child?.kind === 'endpoint') endpoint(p.child, `${at}.endpoint`, p.path);
    else if (p.child?.kind === 'switch') switchNode(p.child, `${at}.switch`, p.path, depth + 1);
  };

  let busEnd = -1; // last bus used by the previous host bridge
  topology.hostBridges.forEach((hb: HostBridgeNode, i) => {
    const at = `hostBridges[${i}]`;
    const busNr = hb.bus ?? hb.uid;
    if (busNr < 1 || busNr > 255) err(`${at}.bus`, `a pxb-cxl bus_nr must be 1..255 (bus 0 is the root complex's); got ${busNr}`);
    if (hb.uid !== busNr)
      err(`${at}.uid`, `QEMU sets a pxb-cxl's ACPI _UID to its bus_nr (${hex(busNr)}); make uid ${busNr}${hb.uid >= 1 && hb.uid <= 255 ? ` (or bus ${hb.uid})` : ''}`);
    if (busNr <= busEnd) err(`${at}.bus`, `bus ${hex(busNr)} overlaps the buses of the host bridge before it (up to ${hex(busEnd)})`);
    busEnd = busNr + hb.rootPorts.reduce((n, p) => n + busesBelow(p), 0);
    if (busEnd > 255) err(`${at}.bus`, `the buses below this host bridge run past 0xff (from ${hex(busNr)})`);
    if (hb.decoders === 0 && hb.rootPorts.length === 1)
      // Linux uses a pass-through decoder for a one-port host bridge and never reads its HDM registers.
      warnings.push({ path: `${at}.decoders`, message: `QEMU ${facts.version}'s pxb-cxl has ${facts.hdmDecoders} HDM decoder even with one root port (pass-through asked for; Linux passes through anyway)` });
    else if (hb.decoders !== facts.hdmDecoders)
      err(`${at}.decoders`, `QEMU ${facts.version}'s pxb-cxl has ${facts.hdmDecoders} HDM decoder (fixed); the topology asks for ${hb.decoders}`);
    if (hb.rootPorts.length > 32) err(`${at}.rootPorts`, 'at most 32 root ports fit on a host bridge bus');
    const chbcr = facts.chbcrBase + i * facts.chbcrStride;
    if (hb.chbcr !== null && hb.chbcr !== chbcr) err(`${at}.chbcr`, `QEMU puts this host bridge's component registers at ${hex(chbcr)}; the topology asks for ${hex(hb.chbcr)}`);
    deviceArgs.push('-device', `pxb-cxl,bus=pcie.0,bus_nr=${busNr},id=${hb.path}`);
    devices.push({ type: 'pxb-cxl', node: hb.path, parent: null, slot: 0, busNr, chbcr });
    uidToHb.set(hb.uid, hb.path);
    hb.rootPorts.forEach((p, j) => port(p, `${at}.rootPorts[${j}]`, hb.path, j, 'cxl-rp', 0));
  });

  const windows: PlannedWindow[] = [];
  const machine: string[] = [];
  let base = facts.windowBase;
  topology.windows.forEach((w, n) => {
    const at = `windows[${n}]`;
    const targets = w.targets.map((uid, k) => {
      const hb = uidToHb.get(uid);
      if (!hb) err(`${at}.targets[${k}]`, `no host bridge has uid ${uid}`);
      return hb ?? '';
    });
    if (w.base !== base) warnings.push({ path: `${at}.base`, message: `QEMU places this window at ${hex(base)} (the topology says ${hex(w.base)})` });
    if (w.restrictions !== facts.windowRestrictions)
      warnings.push({ path: `${at}.restrictions`, message: `QEMU ${facts.version} always advertises restrictions ${hex(facts.windowRestrictions)} (type2, type3, volatile, persistent); the topology says ${hex(w.restrictions)}` });
    if (w.qtg !== 0) warnings.push({ path: `${at}.qtg`, message: `QEMU ${facts.version} advertises QTG 0; the topology says ${w.qtg}` });
    targets.forEach((t, k) => machine.push(`cxl-fmw.${n}.targets.${k}=${t}`));
    machine.push(`cxl-fmw.${n}.size=${w.size}`, `cxl-fmw.${n}.interleave-granularity=${w.granularity}`);
    windows.push({ name: w.name, base, size: w.size, targets, granularity: w.granularity });
    base += w.size;
  });
  if (topology.hostBridges.length === 0) err('hostBridges', 'QEMU needs at least one pxb-cxl host bridge');
  if (topology.windows.length === 0) err('windows', 'QEMU needs at least one cxl-fmw window for a region');
  if (errors.length) return { ok: false, errors };

  const args = [
    '-M', 'q35,cxl=on',
    '-m', `${GUEST_RAM_MIB}M`,
    '-smp', '1',
    '-nodefaults', '-nographic', '-no-reboot', '-display', 'none',
    ...objects,
    ...deviceArgs,
    ...(machine.length ? ['-M', machine.join(',')] : []),
  ];
  return { ok: true, plan: { topology: topology.name, args, devices, windows, endpoints, warnings, facts } };
}

/** Shell-quoted, one option per line (for `qemu cmdline` and the UI). */
export function formatCommandLine(binary: string, args: readonly string[]): string {
  const q = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const out: string[] = [q(binary)];
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith('-') && i + 1 < args.length && !args[i + 1].startsWith('-')) {
      out.push(`${q(args[i])} ${q(args[i + 1])}`);
      i++;
    } else out.push(q(args[i]));
  }
  return out.join(' \\\n  ');
}
