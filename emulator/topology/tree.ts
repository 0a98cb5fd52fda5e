// topologyTree: the text form for `cxl-bench topology show`.
//
// single
// ├─ CFMWS0 0x1000000000 4 GiB ways 1 gran 256 -> [uid 0]
// └─ hb0 (uid 0, decoders 0: pass-through)
//    └─ hb0.rp0 port 0
//       └─ hb0.rp0.ep0 type3 volatile 256 MiB persistent 256 MiB ...

import { formatBytes, hex } from './numbers.js';
import type { EndpointNode, PortNode, SwitchNode, Topology } from './types.js';

interface Line {
  text: string;
  children: Line[];
}

const endpointLine = (e: EndpointNode): Line => {
  const caps = [
    e.volatileBytes ? `volatile ${formatBytes(e.volatileBytes)}` : '',
    e.persistentBytes ? `persistent ${formatBytes(e.persistentBytes)}` : '',
    e.partitionableBytes ? `partitionable ${formatBytes(e.partitionableBytes)}` : '',
  ].filter(Boolean);
  const backend = e.backend ? ` [hardware: ${e.backend.link}]` : '';
  return {
    text: `${e.path} type3 ${caps.join(' ')} lsa ${formatBytes(e.lsaBytes)} serial ${hex(e.serial)} decoders ${e.decoders}${e.profile === 'qemu' ? ' profile qemu' : ''}${backend}`,
    children: [],
  };
};

const switchLine = (s: SwitchNode): Line => ({
  text: `${s.path} switch (usp decoders ${s.decoders}, ${s.downstreamPorts.length} dsps)`,
  children: s.downstreamPorts.map(portLine),
});

const portLine = (p: PortNode): Line => ({
  text: `${p.path} port ${p.port}${p.child ? '' : ' (empty)'}`,
  children: p.child ? [p.child.kind === 'endpoint' ? endpointLine(p.child) : switchLine(p.child)] : [],
});

const render = (l: Line, prefix: string, last: boolean, out: string[]): void => {
  out.push(`${prefix}${last ? '└─ ' : '├─ '}${l.text}`);
  const next = prefix + (last ? '   ' : '│  ');
  l.children.forEach((c, i) => render(c, next, i === l.children.length - 1, out));
};

export const topologyTree = (t: Topology): string => {
  const top: Line[] = [
    ...t.windows.map((w) => ({
      text: `${w.name} ${hex(w.base)} ${formatBytes(w.size)} ways ${w.targets.length} gran ${w.granularity} -> [${w.targets.map((u) => `uid ${u}`).join(', ')}]`,
      children: [],
    })),
    ...t.hostBridges.map((h) => ({
      text: `${h.path} (uid ${h.uid}, decoders ${h.decoders}${h.decoders === 0 ? ': pass-through' : ''})`,
      children: h.rootPorts.map(portLine),
    })),
  ];
  const out = [t.name];
  top.forEach((l, i) => render(l, '', i === top.length - 1, out));
  return out.join('\n');
};
