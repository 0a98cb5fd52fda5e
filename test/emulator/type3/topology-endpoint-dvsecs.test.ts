// Topology file endpoint fields for the optional DVSECs (Non-CXL Function Map, MLD): schema, named-field errors,
// and the mapping onto the built device that the host's own DVSEC walk then finds.

import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../common/clock.js';
import { formatTopologyError, loadTopology } from '../../../emulator/topology/load.js';
import { buildPlatform } from '../../../emulator/topology/platform.js';
import { discoverFunction } from '../../../host/core/discover.js';
import { findDvsec } from './helpers.js';

const EP = 'hostBridges[0].rootPorts[0].endpoint';
const file = (endpoint: Record<string, unknown>) => ({
  hostBridges: [{ uid: 0, rootPorts: [{ port: 0, endpoint: { capacity: { volatile: '256MiB' }, ...endpoint } }] }],
  windows: [{ size: '1GiB', targets: [0] }],
});
const errorsOf = (f: unknown): string[] => {
  const r = loadTopology(f);
  return r.ok ? [] : r.errors.map(formatTopologyError);
};

describe('topology endpoint: nonCxlFunctions and mld', () => {
  it('load into the endpoint node, and are absent when not given', () => {
    const r = loadTopology(file({ nonCxlFunctions: [2, 1], mld: { logicalDevices: 8 } }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const ep = r.topology.hostBridges[0]!.rootPorts[0]!.child!;
    expect(ep.kind === 'endpoint' && ep.nonCxlFunctions).toEqual([2, 1]);
    expect(ep.kind === 'endpoint' && ep.mld).toEqual({ logicalDevices: 8 });
    const plain = loadTopology(file({}));
    expect(plain.ok && plain.topology.hostBridges[0]!.rootPorts[0]!.child).not.toHaveProperty('mld');
    expect(plain.ok && plain.topology.hostBridges[0]!.rootPorts[0]!.child).not.toHaveProperty('nonCxlFunctions');
  });

  it.each([
    [{ nonCxlFunctions: [0] }, `${EP}.nonCxlFunctions[0]: must be a function number 1..255 (function 0 is the CXL device itself; CXL 2.0 8.1.4)`],
    [{ nonCxlFunctions: [3, 256] }, `${EP}.nonCxlFunctions[1]: must be a function number 1..255`],
    [{ nonCxlFunctions: [3, 3] }, `${EP}.nonCxlFunctions[1]: duplicates function 3`],
    [{ nonCxlFunctions: [1.5] }, `${EP}.nonCxlFunctions[0]: must be an integer function number`],
    [{ nonCxlFunctions: 7 }, `${EP}.nonCxlFunctions: must be a list of function numbers`],
    [{ mld: { logicalDevices: 0 } }, `${EP}.mld.logicalDevices: must be 1..16 (CXL 2.0 8.1.10: at most 16 LDs)`],
    [{ mld: { logicalDevices: 17 } }, `${EP}.mld.logicalDevices: must be 1..16`],
    [{ mld: { lds: 2 } }, `${EP}.mld`],
    [{ mld: 4 }, `${EP}.mld: must be an object`],
  ])('%j is rejected naming the field', (endpoint, message) => {
    const e = errorsOf(file(endpoint));
    expect(e.some((m) => m.startsWith(message)), e.join('\n')).toBe(true);
  });

  it('the built endpoint carries both DVSECs and the host discovery places them as blocks', async () => {
    const r = loadTopology(file({ nonCxlFunctions: [5], mld: { logicalDevices: 4 } }));
    if (!r.ok) throw new Error(r.errors.map(formatTopologyError).join('\n'));
    const platform = buildPlatform(r.topology, { clock: new VirtualClock() });
    const node = platform.node('hb0.rp0.ep0')!;
    const model = node.model;
    expect(model.cfgRead(findDvsec(model, 2) + 0x0c, 4)).toBe(1 << 5);
    expect(model.cfgRead(findDvsec(model, 9) + 0x0a, 2)).toBe(4);
    const found = await discoverFunction(platform.target('hb0.rp0.ep0')!);
    const blocks = found.layout.blocks.map((b) => b.block);
    expect(blocks).toEqual(expect.arrayContaining(['dvsec-non-cxl-function-map', 'dvsec-mld']));
    // The host's layout agrees with the emulator's own about where they are.
    const own = node.layout().filter((b) => b.block === 'dvsec-non-cxl-function-map' || b.block === 'dvsec-mld').map((b) => [b.block, b.base]);
    const seen = found.layout.blocks.filter((b) => b.block === 'dvsec-non-cxl-function-map' || b.block === 'dvsec-mld').map((b) => [b.block, b.base]);
    expect(seen).toEqual(own);
  });
});
