// From a topology's hardware spec to a Target (DESIGN.md 3: `backend: { link: "uartbone:/dev/ttyUSB0@115200",
// map: "board.csr.json" }`), and the quick link check behind `links.test`. The result shapes match
// main/api/contract.ts (LinkTestResult, LatencyStats) structurally; hil/ does not import from main/.

import { readFileSync } from 'node:fs';
import type { TraceSink } from '../common/trace-sink.js';
import { DeviceMapError, loadDeviceMap, packedDeviceMap, sysfsDeviceMap, type CsrNaming, type DeviceMap } from './device-map.js';
import { HardwareEndpoint } from './hardware-endpoint.js';
import { openLink, parseLinkUri, type Link } from './link.js';
import { nowUs, type LinkStats } from './link-stats.js';

export type HardwareSpec = string | { link: string; map?: string };

/**
 * The map assumed when a spec names none: the packed layout the project's simulators and reference gateware
 * use for a Type 3 endpoint (cfg 4 KiB at 0x4000_0000, BAR0 64 KiB, BAR2 4 KiB, BAR4 4 KiB, 64 KiB aligned);
 * sysfs links use their own fixed layout.
 */
export const DEFAULT_BRIDGE_MAP: DeviceMap = packedDeviceMap([0x10000, 0, 0x1000, 0, 0x1000, 0]);

export function defaultMapFor(uri: string): DeviceMap {
  return parseLinkUri(uri).transport === 'sysfs' ? sysfsDeviceMap() : DEFAULT_BRIDGE_MAP;
}

/** Read a device map file (plain map JSON, LiteX csr.json or csr.csv). Errors name the file. */
export function readDeviceMapFile(path: string, naming: CsrNaming = {}): DeviceMap {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new DeviceMapError(`device map ${path}: ${(e as Error).message}`);
  }
  try {
    return loadDeviceMap(text, naming);
  } catch (e) {
    throw new DeviceMapError(`${path}: ${(e as Error).message}`);
  }
}

/** Open the link a spec names and wrap it as the Target for `node`. The caller closes `endpoint.link`. */
export async function openHardwareEndpoint(
  spec: HardwareSpec,
  node: string,
  sink: TraceSink | null,
  opts: { timeoutMs?: number } = {},
): Promise<HardwareEndpoint> {
  const s = typeof spec === 'string' ? { link: spec } : spec;
  const map = s.map ? readDeviceMapFile(s.map) : defaultMapFor(s.link);
  const link = await openLink(s.link, opts);
  return new HardwareEndpoint(link, map, node, sink);
}

export interface LatencyStats {
  samples: number;
  minUs: number;
  meanUs: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
}

export function latencyStats(stats: LinkStats): LatencyStats | null {
  const snap = stats.snapshot();
  const samples = snap.latencyCounts.reduce((a, b) => a + b, 0);
  if (samples === 0) return null;
  const r = (v: number): number => Math.round(v * 10) / 10;
  return {
    samples,
    minUs: r(snap.latencyMinUs),
    meanUs: r(snap.latencySumUs / samples),
    p50Us: r(stats.percentileUs(50)),
    p99Us: r(stats.percentileUs(99)),
    maxUs: r(snap.latencyMaxUs),
  };
}

export interface LinkCheckResult {
  uri: string;
  ok: boolean;
  id: string | null;
  latency: LatencyStats | null;
  readsPerSecond: number | null;
  bytesPerSecond: number | null;
  error: string | null;
}

/**
 * Open the link, read the endpoint's Vendor/Device ID register (config offset 0) `reads` times, close. Link
 * failures are ok = false with the reason, never a rejection (what `links.test` reports).
 */
export async function checkLink(uri: string, opts: { map?: DeviceMap | string; reads?: number; timeoutMs?: number } = {}): Promise<LinkCheckResult> {
  const out: LinkCheckResult = { uri, ok: false, id: null, latency: null, readsPerSecond: null, bytesPerSecond: null, error: null };
  let link: Link | null = null;
  try {
    const map = typeof opts.map === 'string' ? readDeviceMapFile(opts.map) : (opts.map ?? defaultMapFor(uri));
    link = await openLink(uri, { timeoutMs: opts.timeoutMs });
    link.stats.reset();
    const n = Math.max(1, opts.reads ?? 16);
    const t0 = nowUs();
    let id = 0;
    for (let i = 0; i < n; i++) id = await link.read32(map.cfg.base);
    const dt = (nowUs() - t0) / 1e6;
    const snap = link.stats.snapshot();
    out.id = `0x${(id >>> 0).toString(16).padStart(8, '0')}`;
    out.latency = latencyStats(link.stats);
    out.readsPerSecond = Math.round(n / dt);
    out.bytesPerSecond = Math.round((snap.bytesIn + snap.bytesOut) / dt);
    out.ok = true;
  } catch (e) {
    out.error = e instanceof Error ? e.message : String(e);
  } finally {
    await link?.close().catch(() => undefined);
  }
  return out;
}
