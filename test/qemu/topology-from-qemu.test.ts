// topology from-qemu: the captures' command lines give back exactly the topologies they were made from; their
// trace logs give the same structure.
import { describe, expect, it } from 'vitest';
import { loadTopology } from '../../emulator/topology/load.js';
import { QEMU_FIXTURE_NAMES, qemuFixtureDir, readQemuCapture } from '../../main/qemu/qemu-fixture.js';
import { QEMU_TOPOLOGIES } from '../../main/qemu/qemu-topologies.js';
import { topologyFromQemu } from '../../main/qemu/topology-from-qemu.js';
import { runCli } from '../cli/run-cli.js';

const shape = (raw: unknown) => {
  const r = loadTopology(structuredClone(raw));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return JSON.parse(JSON.stringify(r.topology, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
};
const structure = (t: ReturnType<typeof shape>) => JSON.stringify(t.hostBridges, (k, v) => (['serial', 'lsaBytes', 'persistentBytes'].includes(k) ? undefined : v));

describe('topology from QEMU', () => {
  it.each(QEMU_FIXTURE_NAMES)('%s: the command line gives the topology back exactly; the trace log its structure', (n) => {
    const c = readQemuCapture(qemuFixtureDir(n));
    const want = shape(QEMU_TOPOLOGIES[`qemu-${n}` as keyof typeof QEMU_TOPOLOGIES]);
    const fromCmd = topologyFromQemu(c.cmdline, `qemu-${n}`);
    expect(fromCmd.notes).toEqual([]);
    expect(shape(fromCmd.topology)).toEqual(want);
    const fromLog = topologyFromQemu(c.trace, `qemu-${n}`);
    expect(fromLog.notes[0]).toMatch(/not in a trace log/);
    expect(structure(shape(fromLog.topology))).toBe(structure(want));
  });

  it('CLI: writes a valid file; a command line without CXL devices is exit 2 saying so', async () => {
    const ok = await runCli(['topology', 'from-qemu', `${qemuFixtureDir('switch4')}cmdline.txt`, '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).topology.hostBridges[0].rootPorts[0].switch.downstreamPorts).toHaveLength(4);
    const bad = await runCli(['topology', 'from-qemu', `${qemuFixtureDir('single')}capture.json`]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no cxl-rp config cycle in the log/);
  });
});
