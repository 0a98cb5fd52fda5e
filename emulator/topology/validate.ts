// Meaning checks over a shape-valid topology file, producing the normalized Topology. Every error names the
// field exactly (e.g. "hostBridges[0].rootPorts[1].endpoint.capacity.persistent: must be a multiple of 256 MiB")
// so a user can fix the file without guessing. Collects all errors, not just the first.

import { defaultType3Config, MLD_MAX_LOGICAL_DEVICES, NON_CXL_FUNCTION_MAX } from '../type3/config.js';
import { MiB } from '../../common/units.js';
import { DECODERS_BY_ENCODING, MAX_ENDPOINT_DECODERS, VALID_TARGET_COUNTS } from '../hdm/decoder-count.js';
import { granularityToIg, isValidWays } from '../interleave/encoding.js';
import { formatBytes, hex, parseByteCount, parseSerial } from './numbers.js';
import { lowestBit } from '../../common/interleave-math.js';
import { dspPath, endpointPath, hostBridgePath, rootPortPath, switchPath } from './paths.js';
import type { RawEndpoint, RawPort, RawSwitch, RawTopology, RawWindow } from './schema.js';
import {
  RESTRICTION_BITS,
  type EndpointNode,
  type HostBridgeNode,
  type PortNode,
  type SwitchNode,
  type Topology,
  type TopologyError,
  type WindowNode,
} from './types.js';

/** CXL 2.0 8.1.3.8 / 8.2.5.12: capacities, decoder bases and sizes are in 256 MiB units. */
export const CAPACITY_UNIT = 256 * MiB;
/** CHBCR / component register block: 64 KiB (CXL 2.0 8.2.3). */
export const CHBCR_SIZE = 64 * 1024;
/** Where windows without an explicit base start (above any plausible system RAM in a model). */
export const DEFAULT_WINDOW_BASE = 64 * 1024 * MiB;
/** HPAs must fit the 52-bit physical address space decoders describe. */
export const MAX_HPA = 2 ** 52;
/** Nesting limit for switches (a guard against runaway files; PCIe allows far more buses than this uses). */
export const MAX_SWITCH_DEPTH = 8;

const DEFAULT_RESTRICTIONS = RESTRICTION_BITS.type3 | RESTRICTION_BITS.volatile | RESTRICTION_BITS.persistent;

class Collector {
  readonly errors: TopologyError[] = [];
  add(path: string, message: string): void {
    this.errors.push({ path, message });
  }
  bytes(path: string, v: number | string | undefined, fallback: number): number {
    if (v === undefined) return fallback;
    const n = parseByteCount(v);
    if (n === null) {
      this.add(path, 'must be a non-negative byte count such as 268435456, "0x10000000" or "256MiB"');
      return fallback;
    }
    return n;
  }
  multiple(path: string, n: number, unit: number): void {
    if (n % unit !== 0) this.add(path, `must be a multiple of ${formatBytes(unit)}`);
  }
}

/**
 * XORMAPs the CXL Driver Writer's Guide uses for host-bridge XOR interleave at HBIG 0 (ndctl test/translate.c):
 * the default for an XOR window without `xorMaps`, shifted up by its HBIG.
 */
export const DEFAULT_XOR_MAPS = [0x2020900, 0x4041200, 0x1010400, 0x800];

function windowXorMaps(c: Collector, at: string, w: RawWindow, arithmetic: 'modulo' | 'xor', ways: number, granularity: number): number[] {
  if (arithmetic === 'modulo') {
    if (w.xorMaps !== undefined) c.add(`${at}.xorMaps`, 'only an XOR window ("arithmetic": "xor") has XORMAPs');
    return [];
  }
  const pow2 = ways % 3 === 0 ? ways / 3 : ways;
  const need = Math.round(Math.log2(Math.max(1, pow2)));
  const ig = granularityToIg(granularity) ?? 0;
  const maps = w.xorMaps
    ? w.xorMaps.map((m, k) => {
        const n = parseByteCount(m);
        if (n === null || n === 0 || n >= MAX_HPA) c.add(`${at}.xorMaps[${k}]`, 'must be a non-zero bit mask below 2^52');
        return n ?? 0;
      })
    : DEFAULT_XOR_MAPS.map((m) => m * 2 ** ig);
  if (maps.length < need) c.add(`${at}.xorMaps`, `must list at least ${need} XORMAP(s) for ${ways} host bridges (one per HPA bit that selects a host bridge)`);
  const lows = maps.filter((m) => m > 0).map(lowestBit);
  if (new Set(lows).size !== lows.length) c.add(`${at}.xorMaps`, 'each XORMAP must have a different lowest set bit (the bit it replaces)');
  return maps;
}

export const validateTopology = (raw: RawTopology): { topology: Topology; errors: TopologyError[] } => {
  const c = new Collector();
  const serials = new Map<bigint, string>();
  const defaults = defaultType3Config();

  const endpoint = (e: RawEndpoint, at: string, path: string): EndpointNode => {
    const cap = e.capacity;
    const volatileBytes = c.bytes(`${at}.capacity.volatile`, cap.volatile, 0);
    const persistentBytes = c.bytes(`${at}.capacity.persistent`, cap.persistent, 0);
    const partitionableBytes = c.bytes(`${at}.capacity.partitionable`, cap.partitionable, 0);
    c.multiple(`${at}.capacity.volatile`, volatileBytes, CAPACITY_UNIT);
    c.multiple(`${at}.capacity.persistent`, persistentBytes, CAPACITY_UNIT);
    c.multiple(`${at}.capacity.partitionable`, partitionableBytes, CAPACITY_UNIT);
    if (volatileBytes + persistentBytes + partitionableBytes === 0) c.add(`${at}.capacity`, 'must give the device some capacity');
    const lsaBytes = c.bytes(`${at}.lsa`, e.lsa, defaults.lsaBytes);
    let serial = defaults.serial + BigInt(serials.size);
    if (e.serial !== undefined) {
      const s = parseSerial(e.serial);
      if (s === null) c.add(`${at}.serial`, 'must be a 64-bit serial number (integer or hex string)');
      else serial = s;
    }
    const other = serials.get(serial);
    if (other !== undefined) c.add(`${at}.serial`, `duplicates the serial number of ${other} (${hex(serial)})`);
    serials.set(serial, path);
    const decoders = e.decoders ?? defaults.hdmDecoders;
    if (!DECODERS_BY_ENCODING.includes(decoders) || decoders > MAX_ENDPOINT_DECODERS) {
      c.add(`${at}.decoders`, 'must be 1, 2, 4, 6, 8, 10, 12, 14 or 16 (CXL 2.0 8.2.5.12.1; more are for ports only)');
    }
    const node: EndpointNode = {
      kind: 'endpoint',
      path,
      volatileBytes,
      persistentBytes,
      partitionableBytes,
      lsaBytes,
      serial,
      decoders,
      profile: e.profile ?? 'spec',
    };
    if (e.backend) node.backend = { link: e.backend.link, ...(e.backend.map !== undefined ? { map: e.backend.map } : {}) };
    if (e.nonCxlFunctions !== undefined) {
      // CXL 2.0 8.1.4: a 256-bit map, bit n = function n; function 0 is this CXL device itself.
      const seen = new Set<number>();
      e.nonCxlFunctions.forEach((f, i) => {
        if (f < 1 || f > NON_CXL_FUNCTION_MAX) c.add(`${at}.nonCxlFunctions[${i}]`, `must be a function number 1..${NON_CXL_FUNCTION_MAX} (function 0 is the CXL device itself; CXL 2.0 8.1.4)`);
        else if (seen.has(f)) c.add(`${at}.nonCxlFunctions[${i}]`, `duplicates function ${f}`);
        seen.add(f);
      });
      if (e.nonCxlFunctions.length > 0) node.nonCxlFunctions = [...seen].filter((f) => f >= 1 && f <= NON_CXL_FUNCTION_MAX);
    }
    if (e.mld !== undefined) {
      const n = e.mld.logicalDevices;
      if (n < 1 || n > MLD_MAX_LOGICAL_DEVICES) c.add(`${at}.mld.logicalDevices`, `must be 1..${MLD_MAX_LOGICAL_DEVICES} (CXL 2.0 8.1.10: at most 16 LDs)`);
      else node.mld = { logicalDevices: n };
    }
    return node;
  };

  const portDecoders = (at: string, v: number | undefined, fallback: number, allowZero: boolean): number => {
    const n = v ?? fallback;
    if (!(allowZero && n === 0) && !DECODERS_BY_ENCODING.includes(n)) {
      c.add(at, `must be ${allowZero ? '0 (pass-through), ' : ''}1, 2, 4, 6, 8, 10, 12, 14, 16, 20, 24, 28 or 32`);
    }
    return n;
  };
  const targetCount = (at: string, v: number | undefined): number => {
    const n = v ?? 8;
    if (!VALID_TARGET_COUNTS.includes(n)) c.add(at, 'must be 1, 2, 4 or 8 (CXL 2.0 8.2.5.12.1 Target Count)');
    return n;
  };

  const ports = (list: RawPort[], at: string, parent: string, kind: PortNode['kind'], depth: number): PortNode[] => {
    const seen = new Map<number, number>();
    const listName = kind === 'root-port' ? 'rootPorts' : 'downstreamPorts';
    return list.map((p, i) => {
      const pat = `${at}.${listName}[${i}]`;
      const port = p.port ?? i;
      if (port < 0 || port > 255) c.add(`${pat}.port`, 'must be 0..255 (a port number is one byte in a target list)');
      const dup = seen.get(port);
      if (dup !== undefined) c.add(`${pat}.port`, `duplicates port ${port} of ${at}.${listName}[${dup}]`);
      seen.set(port, i);
      const path = kind === 'root-port' ? rootPortPath(parent, port) : dspPath(parent, port);
      let child: PortNode['child'] = null;
      if (p.endpoint && p.switch) c.add(pat, 'must hold either an endpoint or a switch, not both');
      if (p.endpoint) child = endpoint(p.endpoint, `${pat}.endpoint`, endpointPath(path));
      else if (p.switch) child = switchNode(p.switch, `${pat}.switch`, switchPath(path), depth + 1);
      return { kind, path, port, child };
    });
  };

  const switchNode = (s: RawSwitch, at: string, path: string, depth: number): SwitchNode => {
    if (depth > MAX_SWITCH_DEPTH) c.add(at, `switches nest deeper than ${MAX_SWITCH_DEPTH} levels`);
    if (s.downstreamPorts.length === 0) c.add(`${at}.downstreamPorts`, 'must list at least one downstream port');
    if (s.downstreamPorts.length > 32) c.add(`${at}.downstreamPorts`, 'must list at most 32 ports (one internal bus)');
    return {
      kind: 'switch',
      path,
      decoders: portDecoders(`${at}.decoders`, s.decoders, 4, false),
      targetCount: targetCount(`${at}.targetCount`, s.targetCount),
      downstreamPorts: ports(s.downstreamPorts, at, path, 'switch-dsp', depth),
    };
  };

  const uids = new Map<number, number>();
  const buses = new Map<number, number>();
  const hostBridges: HostBridgeNode[] = raw.hostBridges.map((h, i) => {
    const at = `hostBridges[${i}]`;
    const path = hostBridgePath(i);
    if (h.uid < 0 || h.uid > 0xffff_ffff) c.add(`${at}.uid`, 'must be a 32-bit unsigned integer');
    const du = uids.get(h.uid);
    if (du !== undefined) c.add(`${at}.uid`, `duplicates the UID of hostBridges[${du}]`);
    uids.set(h.uid, i);
    if (h.bus !== undefined) {
      if (h.bus < 0 || h.bus > 255) c.add(`${at}.bus`, 'must be 0..255');
      const db = buses.get(h.bus);
      if (db !== undefined) c.add(`${at}.bus`, `duplicates the root bus of hostBridges[${db}]`);
      buses.set(h.bus, i);
    }
    let chbcr: number | null = null;
    if (h.chbcr !== undefined) {
      chbcr = c.bytes(`${at}.chbcr`, h.chbcr, 0);
      if (chbcr % CHBCR_SIZE !== 0) c.add(`${at}.chbcr`, 'must be 64 KiB aligned (CXL 2.0 8.2.3 component register block)');
    }
    if (h.rootPorts.length === 0) c.add(`${at}.rootPorts`, 'must list at least one root port');
    if (h.rootPorts.length > 32) c.add(`${at}.rootPorts`, 'must list at most 32 root ports (devices on the root bus)');
    // QEMU's default and Linux's rule: one root port may pass through without HDM decoders (linux-probe.md 1).
    const decoders = portDecoders(`${at}.decoders`, h.decoders, h.rootPorts.length === 1 ? 0 : 4, true);
    if (decoders === 0 && h.rootPorts.length > 1) {
      c.add(`${at}.decoders`, `a host bridge with ${h.rootPorts.length} root ports needs HDM decoders (only a single root port may pass through)`);
    }
    return {
      kind: 'host-bridge',
      path,
      uid: h.uid,
      bus: h.bus ?? null,
      chbcr,
      decoders,
      targetCount: targetCount(`${at}.targetCount`, h.targetCount),
      rootPorts: ports(h.rootPorts, at, path, 'root-port', 0),
    } satisfies HostBridgeNode;
  });

  let nextBase = DEFAULT_WINDOW_BASE;
  const windows: WindowNode[] = (raw.windows ?? []).map((w: RawWindow, i) => {
    const at = `windows[${i}]`;
    const ways = w.targets.length;
    const size = c.bytes(`${at}.size`, w.size, 0);
    const base = c.bytes(`${at}.base`, w.base, nextBase);
    const granularity = c.bytes(`${at}.granularity`, w.granularity, 256);
    if (!isValidWays(ways)) c.add(`${at}.targets`, 'must name 1, 2, 3, 4, 6, 8, 12 or 16 host bridges (CFMWS ENIW)');
    w.targets.forEach((t, j) => {
      if (!uids.has(t)) c.add(`${at}.targets[${j}]`, `names host bridge UID ${t}, which no host bridge has`);
      if (w.targets.indexOf(t) !== j) c.add(`${at}.targets[${j}]`, `repeats host bridge UID ${t}`);
    });
    if (granularityToIg(granularity) === null) c.add(`${at}.granularity`, 'must be 256, 512, 1024, 2048, 4096, 8192 or 16384 (CFMWS HBIG)');
    if (base % CAPACITY_UNIT !== 0) c.add(`${at}.base`, 'must be a multiple of 256 MiB (CXL 2.0 9.14.1.3)');
    if (size === 0) c.add(`${at}.size`, 'must not be zero');
    else if (isValidWays(ways) && size % (CAPACITY_UNIT * ways) !== 0) {
      c.add(`${at}.size`, `must be a multiple of 256 MiB x ${ways} ways = ${formatBytes(CAPACITY_UNIT * ways)}`);
    }
    if (base + size > MAX_HPA) c.add(`${at}.size`, 'window ends above the 52-bit HPA space');
    nextBase = Math.max(nextBase, base + size);
    const restrictions = w.restrictions
      ? w.restrictions.reduce((m, r) => m | RESTRICTION_BITS[r], 0)
      : DEFAULT_RESTRICTIONS;
    const qtg = w.qtg ?? 0;
    if (qtg < 0 || qtg > 0xffff) c.add(`${at}.qtg`, 'must be 0..65535');
    const arithmetic = w.arithmetic ?? 'modulo';
    const xorMaps = windowXorMaps(c, at, w, arithmetic, ways, granularity);
    return { name: `CFMWS${i}`, base, size, targets: [...w.targets], granularity, restrictions, qtg, arithmetic, xorMaps };
  });
  // One CXIMS per HBIG (CXL 3.0 9.17.1.4): XOR windows sharing a granularity share their XORMAPs.
  windows.forEach((a, i) =>
    windows.slice(0, i).forEach((b, j) => {
      if (a.arithmetic === 'xor' && b.arithmetic === 'xor' && a.granularity === b.granularity) {
        const n = Math.min(a.xorMaps.length, b.xorMaps.length);
        if (a.xorMaps.slice(0, n).some((m, k) => m !== b.xorMaps[k])) c.add(`windows[${i}].xorMaps`, `differ from windows[${j}].xorMaps at the same granularity (the CEDT holds one CXIMS per HBIG)`);
      }
    }),
  );
  windows.forEach((a, i) =>
    windows.slice(0, i).forEach((b, j) => {
      if (a.base < b.base + b.size && b.base < a.base + a.size) {
        c.add(`windows[${i}].base`, `overlaps windows[${j}] (${hex(b.base)}..${hex(b.base + b.size - 1)})`);
      }
    }),
  );

  return { topology: { name: raw.name ?? 'topology', hostBridges, windows }, errors: c.errors };
};
