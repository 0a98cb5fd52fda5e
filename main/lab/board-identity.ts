// Which board each endpoint of a run was (issue 17): serial number from the PCIe Device Serial Number extended
// capability (PCIe Base 7.9.3: serial low dword at +0x04, high at +0x08) as the run read it — or as the layout
// of an emulated node declares it —, firmware revision from Identify Memory Device (CXL 2.0 8.2.9.5.1.1: output
// bytes 0..15, ASCII FW Revision), and board revision / gateware build from the link's device map: a LiteX
// csr.json's constants `cxl_board_revision` and `cxl_gateware_build` (SoC add_constant("CXL_BOARD_REVISION",
// ...)). A publish may override any of them (a CI job knows its build number).

import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { loadTopology } from '../../emulator/topology/load.js';
import { decodeChunk } from '../../trace/chunk-codec.js';
import { topologyEndpoints } from '../runs/emulated-endpoints.js';
import type { Store } from '../store/store.js';

export interface DeviceIdentity {
  node: string;
  kind: 'emulated' | 'hardware';
  /** 16 hex digits, '' when the run never read it. */
  serial: string;
  firmware: string;
  revision: string;
  gateware: string;
  /** The link URI of a hardware node ('' when emulated). */
  link: string;
  /** The device map's text, when it could be read. */
  mapJson: string | null;
}

export interface IdentityOverrides {
  revision?: string;
  gateware?: string;
  firmware?: string;
  /** A device map file to read revision/gateware from (a run started with --target NODE=URI --map FILE). */
  mapFile?: string;
}

const IDENTIFY = 0x4000;
/** Stop looking after this many events when every identity is already known or nothing more can turn up. */
const SCAN_LIMIT = 2_000_000;

/** "node=link, node=link" (runs.targets) as a map. */
export function parseTargets(targets: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of targets.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

/** ASCII of Identify's FW Revision field: bytes 0..15 of the output payload, NULs and spaces trimmed. */
export function firmwareFromIdentify(outputHex: string): string {
  const hex = outputHex.replace(/[^0-9a-f]/gi, '').slice(0, 32);
  let s = '';
  for (let i = 0; i + 2 <= hex.length; i += 2) {
    const c = parseInt(hex.slice(i, i + 2), 16);
    if (c === 0) break;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '?';
  }
  return s.trim();
}

/** Board revision and gateware build a device map file declares (csr.json constants), if any. */
export function mapIdentity(mapJson: string | null): { revision: string; gateware: string } {
  if (!mapJson) return { revision: '', gateware: '' };
  try {
    const doc = JSON.parse(mapJson) as { constants?: Record<string, unknown> };
    const c = doc?.constants ?? {};
    const pick = (...keys: string[]) => {
      for (const k of keys) if (c[k] !== undefined && c[k] !== null) return String(c[k]);
      return '';
    };
    return { revision: pick('cxl_board_revision', 'board_revision'), gateware: pick('cxl_gateware_build', 'gateware_build', 'config_git_hash') };
  } catch {
    return { revision: '', gateware: '' };
  }
}

function readMap(map: unknown, base: string | null): string | null {
  if (map && typeof map === 'object') return JSON.stringify(map);
  if (typeof map !== 'string') return null;
  const p = isAbsolute(map) || !base ? map : resolve(base, map);
  try {
    return existsSync(p) ? readFileSync(p, 'utf8') : null;
  } catch {
    return null;
  }
}

/** Endpoint backends of a topology file's JSON: node path -> { link, map }. */
function backendsOf(topologyJson: string | null): Map<string, { link: string; map?: unknown }> {
  const out = new Map<string, { link: string; map?: unknown }>();
  if (!topologyJson) return out;
  const r = loadTopology(topologyJson);
  if (!r.ok) return out; // no backends then: identity comes from the trace alone
  for (const e of topologyEndpoints(r.topology)) if (e.backend) out.set(e.path, { link: e.backend.link, map: e.backend.map });
  return out;
}

/** Largest device map kept with a run (a LiteX csr.json is tens of KiB). */
const MAX_MAP_BYTES = 4 << 20;

/**
 * Keep the device maps of a run's hardware endpoints with the run (table run_device_maps), as they are when it
 * starts. A map that cannot be read is skipped: the run reports its own error about it.
 */
export function recordRunDeviceMaps(store: Store, runId: number, hardware: Readonly<Record<string, { map?: string; mapText?: string }>> | undefined): void {
  if (!hardware) return;
  const insert = store.db.prepare('INSERT OR REPLACE INTO run_device_maps (run_id, node, map_json) VALUES (?, ?, ?)');
  for (const [node, b] of Object.entries(hardware)) {
    let text: string | null = b.mapText ?? null;
    if (text === null && b.map) {
      try {
        if (statSync(b.map).size <= MAX_MAP_BYTES) text = readFileSync(b.map, 'utf8');
      } catch {
        text = null;
      }
    }
    if (text !== null) insert.run(runId, node, text);
  }
}

/** Every Type 3 endpoint of stored run `runId` with what the run says about its board. */
export function runDevices(store: Store, runId: number, over: IdentityOverrides = {}): DeviceIdentity[] {
  const run = store.runs.get(runId);
  if (!run) return [];
  const layout = store.runs.layout(runId);
  const targets = parseTargets(run.targets);
  const backends = backendsOf(store.runs.topologyJson(runId));
  const devices = layout.filter((n) => n.kind === 'type3');
  if (devices.length === 0) return [];
  const overrideMap = over.mapFile ? readMap(over.mapFile, null) : null;
  const keptMaps = new Map(
    store.db.prepare<[number], { node: string; map_json: string }>('SELECT node, map_json FROM run_device_maps WHERE run_id = ?').all(runId).map((r) => [r.node, r.map_json]),
  );

  const serials = new Map<string, string>();
  const firmware = new Map<string, string>();
  const dsnAt = new Map<string, number>();
  for (const d of devices) {
    const b = d.blocks.find((x) => x.block === 'pci-dsn' && x.region === 'cfg');
    if (!b) continue;
    dsnAt.set(d.node, b.base);
    // An emulated endpoint's layout carries the serial it was built with.
    if (b.params?.serialLo !== undefined && b.params?.serialHi !== undefined && (targets.get(d.node) ?? 'emulated') === 'emulated')
      serials.set(d.node, ((BigInt(b.params.serialHi) << 32n) | BigInt(b.params.serialLo)).toString(16).padStart(16, '0'));
  }
  // Otherwise what the run read: DSN dwords (or one 64-bit read) and the first successful Identify.
  const lo = new Map<string, bigint>();
  const hi = new Map<string, bigint>();
  const nodes = store.chunks.nodes(runId);
  const done = () => devices.every((d) => (serials.has(d.node) || !dsnAt.has(d.node)) && firmware.has(d.node));
  let seen = 0;
  for (const c of store.chunks.all(runId)) {
    if (done() || seen > SCAN_LIMIT) break;
    seen += c.count;
    for (const e of decodeChunk(c.bytes, nodes, c.firstSeq)) {
      if (e.kind === 'mailbox') {
        if (e.opcode === IDENTIFY && e.returnCode === 0 && !firmware.has(e.node)) firmware.set(e.node, firmwareFromIdentify(e.outputHex));
        continue;
      }
      if (e.kind !== 'access' || e.op !== 'R' || e.region !== 'cfg' || e.status !== 'ok' || serials.has(e.node)) continue;
      const base = dsnAt.get(e.node);
      if (base === undefined) continue;
      if (e.offset === base + 4 && e.width === 8) serials.set(e.node, e.value.toString(16).padStart(16, '0'));
      else if (e.offset === base + 4 && e.width === 4) lo.set(e.node, e.value);
      else if (e.offset === base + 8 && e.width === 4) hi.set(e.node, e.value);
      if (lo.has(e.node) && hi.has(e.node)) serials.set(e.node, ((hi.get(e.node)! << 32n) | lo.get(e.node)!).toString(16).padStart(16, '0'));
    }
  }

  return devices.map((d) => {
    const link = targets.get(d.node) ?? '';
    const hardware = link !== '' && link !== 'emulated';
    const backend = backends.get(d.node);
    const mapJson = overrideMap ?? keptMaps.get(d.node) ?? (backend ? readMap(backend.map, null) : null);
    const fromMap = mapIdentity(mapJson);
    return {
      node: d.node,
      kind: hardware ? 'hardware' : 'emulated',
      serial: serials.get(d.node) ?? '',
      firmware: over.firmware ?? firmware.get(d.node) ?? '',
      revision: over.revision ?? (fromMap.revision || (hardware ? '' : 'emulated')),
      gateware: over.gateware ?? fromMap.gateware,
      link: hardware ? link : '',
      mapJson,
    };
  });
}
