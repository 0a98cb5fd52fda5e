// The memory path's view (emulator/memory MemHierarchy) of a built platform: windows -> host bridges -> root
// ports -> switches (USP decoders, DSPs) -> endpoints (decoders, media through the device's backend).

import type { HdmDecoders } from '../hdm/hdm-decoders.js';
import type { MemEndpoint, MemHierarchy, MemHostBridge, MemPort, MemSwitch } from '../memory/hierarchy.js';
import type { FnRec, HbRec } from './platform-nodes.js';
import type { Topology } from './types.js';

export function memoryHierarchy(t: Topology, hbs: readonly HbRec[]): MemHierarchy {
  const decoders: HdmDecoders[] = [];

  const endpoint = (r: FnRec): MemEndpoint | null => {
    const dev = r.type3;
    if (!dev || !r.hdm) return null;
    decoders.push(r.hdm);
    const be = dev.backend;
    return {
      kind: 'endpoint',
      path: r.path,
      hdm: r.hdm,
      mediaAccess: (d, n) => be.mediaAccess(d, n),
      read: (d, out) => be.media.read(d, out),
      write: (d, data) => be.media.write(d, data),
    };
  };

  const sw = (usp: FnRec): MemSwitch | null => {
    if (!usp.hdm) return null;
    decoders.push(usp.hdm);
    return { kind: 'switch', path: usp.path, hdm: usp.hdm, ports: new Map(usp.below.map((d) => [d.port, port(d)])) };
  };

  const port = (p: FnRec): MemPort => {
    const c = p.below[0];
    return { path: p.path, child: !c ? null : c.kind === 'type3' ? endpoint(c) : sw(c) };
  };

  const bridges = new Map<number, MemHostBridge>();
  for (const h of hbs) {
    if (h.regs.hdm) decoders.push(h.regs.hdm);
    bridges.set(h.uid, { path: h.path, uid: h.uid, hdm: h.regs.hdm, rootPorts: new Map(h.rootPorts.map((r) => [r.port, port(r)])) });
  }
  const windows = t.windows.map((w) => ({
    name: w.name,
    base: w.base,
    size: w.size,
    granularity: w.granularity,
    targets: w.targets.map((uid) => bridges.get(uid) ?? null),
  }));
  return { windows, decoders };
}
