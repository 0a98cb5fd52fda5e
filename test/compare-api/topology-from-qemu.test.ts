// topology from-qemu (issue 14): a QEMU command line gives back exactly the topology it was made from (the same
// QEMU arguments when planned again); a trace log gives the same device tree (sizes and windows defaulted).
import { describe, expect, it } from 'vitest';
import { loadTopology } from '../../emulator/topology/load.js';
import type { Topology } from '../../emulator/topology/types.js';
import { FromQemuError, topologyFromQemu } from '../../main/compare/topology-from-qemu.js';
import { planQemu } from '../../main/qemu/cmdline.js';
import { QEMU_FIXTURE_NAMES, qemuFixtureDir, readQemuCapture } from '../../main/qemu/qemu-fixture.js';

const topo = (json: string): Topology => {
  const r = loadTopology(json);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.topology;
};
const plan = (t: Topology) => {
  const p = planQemu(t);
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  return p.plan;
};

describe('topology from-qemu', () => {
  for (const name of QEMU_FIXTURE_NAMES) {
    it(`${name}: the command line round-trips to the same QEMU arguments; the log to the same device tree`, () => {
      const cap = readQemuCapture(qemuFixtureDir(name));
      const want = plan(topo(cap.topologyJson));
      const fromCmd = topologyFromQemu(cap.cmdline, 'x');
      expect(fromCmd.from).toBe('command line');
      expect(plan(topo(JSON.stringify(fromCmd.topology))).args).toEqual(want.args);
      const fromLog = topologyFromQemu(cap.trace, 'x');
      expect(fromLog.from).toBe('trace log');
      expect(plan(topo(JSON.stringify(fromLog.topology))).devices).toEqual(want.devices);
    });
  }

  it('names what it cannot find', () => {
    expect(() => topologyFromQemu('qemu-system-x86_64 -device e1000', 'x')).toThrow(FromQemuError);
    expect(() => topologyFromQemu('pci_cfg_read mch 00:00.0 @0x0 -> 0x8086', 'x')).toThrow(/no config cycles of a cxl-rp/);
  });
});
