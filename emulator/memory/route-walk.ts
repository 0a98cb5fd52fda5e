// One HPA, walked the slow way through every level: CFMWS -> host bridge decoder -> switch decoders (any depth)
// -> endpoint decoder -> DPA. The result names each hop (for MemAccessResult.detail) and the HPA interval in
// which every decoder it used stays the same (so a compiled route may be reused there).

import type { CommittedDecoder } from '../hdm/commit-checks.js';
import { hpaToDpaOffset, interleavePosition, targetPosition } from '../interleave/address-math.js';
import type { MemEndpoint, MemHierarchy, MemPort } from './hierarchy.js';

export interface RouteOk {
  ok: true;
  endpoint: MemEndpoint;
  decoder: CommittedDecoder;
  dpa: number;
  /** "CFMWS0 -> hb0 dec0 -> hb0.rp1 -> hb0.rp1.ep0 dec0" (DPA appended by the caller). */
  hops: string;
  /** [lo, hi): HPAs for which the same decoders are used at every level. */
  lo: number;
  hi: number;
}
export interface RouteFail {
  ok: false;
  detail: string;
}
export type Route = RouteOk | RouteFail;

const hex = (n: number): string => `0x${n.toString(16)}`;

/** Where an HPA lands before the endpoint decodes it: the endpoint, the hops to it and the HPA interval in
 * which every decoder above it stays the same. */
export interface EndpointReached {
  ok: true;
  endpoint: MemEndpoint;
  hops: string;
  lo: number;
  hi: number;
}

/**
 * CFMWS -> host bridge -> switches, stopping at the endpoint (whose own decode is `decodeAtEndpoint`). Split
 * out so a platform whose endpoint is real hardware can decode there with the board's registers.
 */
export const walkToEndpoint = (h: MemHierarchy, hpa: number, rootTarget?: number): EndpointReached | RouteFail => {
  const w = h.windows.find((x) => hpa >= x.base && hpa < x.base + x.size);
  if (!w) return { ok: false, detail: `no CFMWS window claims HPA ${hex(hpa)}` };
  let lo = w.base;
  let hi = w.base + w.size;
  const narrow = (d: CommittedDecoder): void => {
    lo = Math.max(lo, d.base);
    hi = Math.min(hi, d.base + d.size);
  };
  // The root decoder: modulo, or XOR over the CXIMS maps (CXL 3.0 9.13.1.1). `rootTarget` forces the choice
  // (the route cache compiles an XOR window per host bridge).
  const pos = rootTarget ?? targetPosition(hpa, w.targets.length, w.granularity, w.xorMaps, w.base);
  const hb = w.targets[pos];
  if (!hb) return { ok: false, detail: `${w.name} target ${pos} names no host bridge (HPA ${hex(hpa)})` };
  let hops = `${w.name} -> ${hb.path}`;
  let port: MemPort | undefined;
  if (hb.hdm === null) {
    if (hb.rootPorts.size !== 1) return { ok: false, detail: `${hops}: no HDM decoders and ${hb.rootPorts.size} root ports` };
    port = hb.rootPorts.values().next().value;
  } else {
    const d = hb.hdm.find(hpa);
    if (!d) return { ok: false, detail: `${hops}: no committed HDM decoder claims HPA ${hex(hpa)}` };
    narrow(d);
    const p = d.targets[interleavePosition(hpa, d.ways, d.granularity)];
    port = hb.rootPorts.get(p);
    hops += ` dec${d.index}`;
    if (!port) return { ok: false, detail: `${hops}: target port ${p} is not a root port of ${hb.path}` };
  }
  for (;;) {
    if (!port) return { ok: false, detail: `${hops}: no port` };
    hops += ` -> ${port.path}`;
    const c = port.child;
    if (c === null) return { ok: false, detail: `${hops}: nothing is attached (HPA ${hex(hpa)})` };
    if (c.kind === 'endpoint') return { ok: true, endpoint: c, hops: `${hops} -> ${c.path}`, lo, hi };
    const d = c.hdm.find(hpa);
    hops += ` -> ${c.path}`;
    if (!d) return { ok: false, detail: `${hops}: no committed HDM decoder claims HPA ${hex(hpa)}` };
    narrow(d);
    const p = d.targets[interleavePosition(hpa, d.ways, d.granularity)];
    hops += ` dec${d.index}`;
    port = c.ports.get(p);
    if (!port) return { ok: false, detail: `${hops}: target port ${p} is not a downstream port of ${c.path}` };
  }
};

/** What an endpoint's decode needs to know: Mem_Enable, HDM Decoder Enable, its committed decoders, its DVSEC ranges. */
export interface EndpointDecodeState {
  memEnabled: boolean;
  hdmEnabled: boolean;
  find(hpa: number): CommittedDecoder | null;
  dvsecRanges: readonly CommittedDecoder[];
}

/** The endpoint's own decode of an HPA that reached it (CXL 2.0 8.1.3.2, 8.2.5.12.2, 8.1.3.8). */
export const decodeAtEndpoint = (s: EndpointDecodeState, at: EndpointReached, hpa: number): { ok: true; decoder: CommittedDecoder; dpa: number; hops: string; lo: number; hi: number } | RouteFail => {
  let hops = at.hops;
  if (!s.memEnabled) return { ok: false, detail: `${hops}: Mem_Enable is clear in the CXL DVSEC (CXL 2.0 8.1.3.2), the device does not decode CXL.mem` };
  let d: CommittedDecoder | null;
  if (s.hdmEnabled) {
    d = s.find(hpa);
    if (!d) return { ok: false, detail: `${hops}: no committed HDM decoder claims HPA ${hex(hpa)}` };
    hops += ` dec${d.index}`;
  } else {
    // CXL 2.0 8.2.5.12.2: HDM Decoder Enable clear -> the DVSEC CXL Range registers decode (8.1.3.8).
    d = s.dvsecRanges.find((r) => hpa >= r.base && hpa < r.base + r.size) ?? null;
    if (!d) return { ok: false, detail: `${hops}: HDM Decoder Enable is clear and no DVSEC CXL Range claims HPA ${hex(hpa)}` };
    hops += ` dvsec-range${d.index + 1}`;
  }
  const dpa = d.dpaBase + hpaToDpaOffset(hpa, d.base, d.ways, d.granularity);
  return { ok: true, decoder: d, dpa, hops, lo: Math.max(at.lo, d.base), hi: Math.min(at.hi, d.base + d.size) };
};

export const walkRoute = (h: MemHierarchy, hpa: number, rootTarget?: number): Route => {
  const at = walkToEndpoint(h, hpa, rootTarget);
  if (!at.ok) return at;
  const c = at.endpoint;
  const r = decodeAtEndpoint(
    {
      memEnabled: !c.memEnabled || c.memEnabled(),
      hdmEnabled: c.hdm.enabled(),
      find: (x) => c.hdm.find(x),
      get dvsecRanges() {
        return c.dvsecRanges?.() ?? [];
      },
    },
    at,
    hpa,
  );
  return r.ok ? { ...r, endpoint: c } : r;
};
