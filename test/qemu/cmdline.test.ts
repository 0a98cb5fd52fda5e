// Topology → QEMU command line: the QEMU topologies plan into the devices QEMU 7.2 builds, and what QEMU cannot
// express is refused naming the field.
import { describe, expect, it } from 'vitest';
import { defaultTopology } from '../../emulator/topology/default-topology.js';
import { loadTopology } from '../../emulator/topology/load.js';
import type { Topology } from '../../emulator/topology/types.js';
import { planQemu } from '../../main/qemu/cmdline.js';
import { QEMU_7_2_CAPS } from '../../main/qemu/qemu-facts.js';
import { QEMU_TOPOLOGIES, QEMU_TOPOLOGY_NAMES } from '../../main/qemu/qemu-topologies.js';

const load = (raw: unknown): Topology => {
  const r = loadTopology(structuredClone(raw));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.topology;
};
const devices = (args: string[]) => args.flatMap((a, i) => (args[i - 1] === '-device' ? [a] : []));

describe('planQemu', () => {
  it('plans every QEMU topology without warnings', () => {
    for (const n of QEMU_TOPOLOGY_NAMES) {
      const r = planQemu(load(QEMU_TOPOLOGIES[n]));
      expect(r.ok, n).toBe(true);
      if (r.ok) expect(r.plan.warnings, n).toEqual([]);
    }
  });

  it('switch4: pxb-cxl, a root port, the switch ports in slot order and a cxl-type3 with memdev and lsa each', () => {
    const r = planQemu(load(QEMU_TOPOLOGIES['qemu-switch4']));
    if (!r.ok) throw new Error('refused');
    const d = devices(r.plan.args);
    expect(d[0]).toBe('pxb-cxl,bus=pcie.0,bus_nr=12,id=hb0');
    expect(d[1]).toBe('cxl-rp,bus=hb0,id=hb0.rp0,port=0,addr=0x0.0,chassis=0,slot=0');
    expect(d[2]).toBe('cxl-upstream,bus=hb0.rp0,id=hb0.rp0.sw0.usp');
    expect(d.filter((x) => x.startsWith('cxl-downstream')).map((x) => /port=(\d+)/.exec(x)?.[1])).toEqual(['0', '1', '2', '3']);
    expect(d.filter((x) => x.startsWith('cxl-type3'))).toHaveLength(4);
    expect(d[4]).toBe('cxl-type3,bus=hb0.rp0.sw0.dsp0,id=hb0.rp0.sw0.dsp0.ep0,sn=0x4000,memdev=hb0.rp0.sw0.dsp0.ep0.pmem,lsa=hb0.rp0.sw0.dsp0.ep0.lsa');
    expect(r.plan.args).toContain('memory-backend-ram,id=hb0.rp0.sw0.dsp0.ep0.pmem,size=268435456');
    expect(r.plan.args.at(-1)).toBe('cxl-fmw.0.targets.0=hb0,cxl-fmw.0.size=4294967296,cxl-fmw.0.interleave-granularity=256');
    expect(r.plan.endpoints).toHaveLength(4);
    expect(r.plan.devices.find((x) => x.node === 'hb0.rp0.sw0.dsp2')).toMatchObject({ type: 'cxl-downstream', parent: 'hb0.rp0.sw0.usp', slot: 2 });
  });

  it('hb2: two host bridges, the window interleaves both by their ids; CHBCRs 64 KiB apart from 4 GiB', () => {
    const r = planQemu(load(QEMU_TOPOLOGIES['qemu-hb2']));
    if (!r.ok) throw new Error('refused');
    expect(r.plan.args.at(-1)).toBe('cxl-fmw.0.targets.0=hb0,cxl-fmw.0.targets.1=hb1,cxl-fmw.0.size=4294967296,cxl-fmw.0.interleave-granularity=256');
    expect(r.plan.devices.filter((d) => d.type === 'pxb-cxl').map((d) => [d.busNr, d.chbcr])).toEqual([
      [12, 0x1_0000_0000],
      [32, 0x1_0001_0000],
    ]);
    expect(r.plan.windows[0]).toMatchObject({ base: 0x1_1000_0000, size: 2 ** 32, targets: ['hb0', 'hb1'] });
  });

  it('refuses the built-in single topology naming each field QEMU 7.2 cannot build', () => {
    const r = planQemu(defaultTopology('single'), QEMU_7_2_CAPS);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.errors.map((e) => e.path);
    expect(paths).toContain('hostBridges[0].uid');
    expect(paths).toContain('hostBridges[0].rootPorts[0].endpoint.capacity.volatile');
    expect(paths).toContain('hostBridges[0].rootPorts[0].endpoint.decoders');
    expect(r.errors.find((e) => e.path.endsWith('capacity.volatile'))?.message).toMatch(/only a persistent memory backend.*QEMU 8\.0/);
  });

  it('takes volatile capacity when the installed QEMU has volatile-memdev', () => {
    const raw = structuredClone(QEMU_TOPOLOGIES['qemu-single']) as { hostBridges: { rootPorts: { endpoint: { capacity: Record<string, string> } }[] }[] };
    raw.hostBridges[0].rootPorts[0].endpoint.capacity = { volatile: '256MiB' };
    const t = load(raw);
    expect(planQemu(t).ok).toBe(false);
    const r = planQemu(t, { persistentMemdev: 'persistent-memdev', volatileMemdev: true });
    expect(r.ok).toBe(true);
    if (r.ok) expect(devices(r.plan.args).find((d) => d.startsWith('cxl-type3'))).toContain('volatile-memdev=hb0.rp0.ep0.vmem');
  });

  it('refuses a switch below a switch, a hardware backend, overlapping buses; warns about a window base QEMU moves', () => {
    const raw = structuredClone(QEMU_TOPOLOGIES['qemu-hb2']) as any;
    raw.hostBridges[1].bus = 13;
    raw.hostBridges[1].uid = 13;
    raw.windows[0].targets = [12, 13];
    raw.hostBridges[0].rootPorts[0].endpoint.backend = { link: 'sysfs:0000:3b:00.0' };
    raw.windows[0].base = '0x2000000000';
    const r = planQemu(load(raw));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['hostBridges[1].bus', 'hostBridges[0].rootPorts[0].endpoint.backend']));
    const nested = structuredClone(QEMU_TOPOLOGIES['qemu-switch4']) as any;
    nested.hostBridges[0].rootPorts[0].switch.downstreamPorts[0] = { port: 0, switch: { decoders: 1, downstreamPorts: [{ port: 0, endpoint: { ...nested.hostBridges[0].rootPorts[0].switch.downstreamPorts[1].endpoint, serial: '0x5000' } }] } };
    const n = planQemu(load(nested));
    expect(!n.ok && n.errors.some((e) => e.path === 'hostBridges[0].rootPorts[0].switch.downstreamPorts[0].switch' && /through 1 switch level only/.test(e.message))).toBe(true);
    const moved = structuredClone(QEMU_TOPOLOGIES['qemu-single']) as any;
    moved.windows[0].base = '0x2000000000';
    const m = planQemu(load(moved));
    expect(m.ok && m.plan.warnings.map((w) => w.path)).toEqual(['windows[0].base']);
  });
});
