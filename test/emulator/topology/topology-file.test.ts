import { describe, expect, it } from 'vitest';
import { loadTopology, formatTopologyError } from '../../../emulator/topology/load.js';
import { defaultTopology } from '../../../emulator/topology/default-topology.js';
import { DEFAULT_TOPOLOGIES } from '../../../emulator/topology/defaults/index.js';
import { topologyTree } from '../../../emulator/topology/tree.js';

const ep = (over: Record<string, unknown> = {}) => ({ capacity: { volatile: '256MiB' }, ...over });
const base = () => ({
  hostBridges: [{ uid: 0, rootPorts: [{ port: 0, endpoint: ep({ serial: 1 }) }, { port: 1, endpoint: ep({ serial: 2 }) }] }],
  windows: [{ size: '1GiB', targets: [0] }],
});

const errorsOf = (file: unknown): string[] => {
  const r = loadTopology(file);
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.errors.map(formatTopologyError);
};

describe('loadTopology accepts good files', () => {
  it('loads JSON text and objects alike, with node paths', () => {
    const r = loadTopology(JSON.stringify(base()));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const hb = r.topology.hostBridges[0];
    expect(hb.path).toBe('hb0');
    expect(hb.decoders).toBe(4); // two root ports: HDM decoders by default
    expect(hb.rootPorts.map((p) => p.child?.path)).toEqual(['hb0.rp0.ep0', 'hb0.rp1.ep0']);
    expect(r.topology.windows[0]).toMatchObject({ name: 'CFMWS0', size: 2 ** 30, granularity: 256 });
  });
  it('a single root port passes through without decoders by default', () => {
    const r = loadTopology({ hostBridges: [{ uid: 3, rootPorts: [{ endpoint: ep() }] }] });
    expect(r.ok && r.topology.hostBridges[0].decoders).toBe(0);
  });
  it('carries a hardware backend unchanged', () => {
    const r = loadTopology({
      hostBridges: [{ uid: 0, rootPorts: [{ endpoint: ep({ backend: { link: 'uartbone:/dev/ttyUSB0@115200', map: 'board.csr.json' } }) }] }],
    });
    expect(r.ok && r.topology.hostBridges[0].rootPorts[0].child).toMatchObject({
      backend: { link: 'uartbone:/dev/ttyUSB0@115200', map: 'board.csr.json' },
    });
  });
  it.each(['single', 'interleave2', 'switch4'] as const)('default %s validates', (name) => {
    const t = defaultTopology(name);
    expect(t.name).toBe(name);
    expect(loadTopology(JSON.stringify(DEFAULT_TOPOLOGIES[name])).ok).toBe(true);
  });
  it('switch4 names switch nodes by path and the tree shows every node', () => {
    const t = defaultTopology('switch4');
    const sw = t.hostBridges[0].rootPorts[0].child;
    expect(sw?.kind).toBe('switch');
    if (sw?.kind !== 'switch') return;
    expect(sw.path).toBe('hb0.rp0.sw0');
    expect(sw.downstreamPorts.map((d) => d.child?.path)).toEqual([0, 1, 2, 3].map((i) => `hb0.rp0.sw0.dsp${i}.ep0`));
    const tree = topologyTree(t);
    for (const i of [0, 1, 2, 3]) expect(tree).toContain(`hb0.rp0.sw0.dsp${i}.ep0 type3`);
    expect(tree).toContain('CFMWS0 0x1000000000 4 GiB ways 1');
  });
});

describe('loadTopology rejects malformed files, naming the field', () => {
  it('capacity not a multiple of 256 MiB', () => {
    const f = base();
    (f.hostBridges[0].rootPorts[1].endpoint.capacity as Record<string, unknown>).persistent = '100MiB';
    expect(errorsOf(f)).toContain('hostBridges[0].rootPorts[1].endpoint.capacity.persistent: must be a multiple of 256 MiB');
  });
  it('not JSON', () => {
    expect(errorsOf('{ hostBridges: ')[0]).toMatch(/^\(file\): not valid JSON/);
  });
  it('wrong type for a field', () => {
    const f = base() as Record<string, unknown>;
    (f.hostBridges as Record<string, unknown>[])[0].uid = 'zero';
    expect(errorsOf(f)).toContain('hostBridges[0].uid: must be an integer UID');
  });
  it('unknown field', () => {
    const f = base();
    (f.hostBridges[0].rootPorts[0].endpoint as Record<string, unknown>).capcity = 1;
    expect(errorsOf(f)).toContain('hostBridges[0].rootPorts[0].endpoint: unknown field "capcity"');
  });
  it('unparseable size string', () => {
    const f = base();
    f.windows[0].size = 'lots';
    expect(errorsOf(f)[0]).toMatch(/^windows\[0\]\.size: must be a non-negative byte count/);
  });
  it('window naming a host bridge that does not exist', () => {
    const f = base();
    f.windows[0].targets = [7];
    expect(errorsOf(f)).toContain('windows[0].targets[0]: names host bridge UID 7, which no host bridge has');
  });
  it('window with 5 targets (no such ENIW)', () => {
    const f = {
      hostBridges: [0, 1, 2, 3, 4].map((uid) => ({ uid, rootPorts: [{ endpoint: ep({ serial: uid }) }] })),
      windows: [{ size: '5GiB', targets: [0, 1, 2, 3, 4] }],
    };
    expect(errorsOf(f)).toContain('windows[0].targets: must name 1, 2, 3, 4, 6, 8, 12 or 16 host bridges (CFMWS ENIW)');
  });
  it('window size not a multiple of 256 MiB x ways', () => {
    const f = { hostBridges: [0, 1].map((uid) => ({ uid, rootPorts: [{ endpoint: ep({ serial: uid }) }] })), windows: [{ size: '768MiB', targets: [0, 1] }] };
    expect(errorsOf(f)).toContain('windows[0].size: must be a multiple of 256 MiB x 2 ways = 512 MiB');
  });
  it('misaligned window base and bad granularity', () => {
    const f = base();
    Object.assign(f.windows[0], { base: '0x1008000000', granularity: 300 });
    const e = errorsOf(f);
    expect(e).toContain('windows[0].base: must be a multiple of 256 MiB (CXL 2.0 9.14.1.3)');
    expect(e).toContain('windows[0].granularity: must be 256, 512, 1024, 2048, 4096, 8192 or 16384 (CFMWS HBIG)');
  });
  it('overlapping windows', () => {
    const f = base();
    f.windows = [
      { size: '1GiB', targets: [0], base: '64GiB' } as (typeof f.windows)[0],
      { size: '1GiB', targets: [0], base: '0x1020000000' } as (typeof f.windows)[0],
    ];
    expect(errorsOf(f)[0]).toMatch(/^windows\[1\]\.base: overlaps windows\[0\]/);
  });
  it('two root ports without host bridge decoders', () => {
    const f = base();
    (f.hostBridges[0] as Record<string, unknown>).decoders = 0;
    expect(errorsOf(f)).toContain(
      'hostBridges[0].decoders: a host bridge with 2 root ports needs HDM decoders (only a single root port may pass through)',
    );
  });
  it('duplicate port numbers and duplicate UIDs', () => {
    const f = base();
    f.hostBridges[0].rootPorts[1].port = 0;
    f.hostBridges.push({ uid: 0, rootPorts: [{ port: 0, endpoint: ep({ serial: 9 }) }] });
    const e = errorsOf(f);
    expect(e).toContain('hostBridges[0].rootPorts[1].port: duplicates port 0 of hostBridges[0].rootPorts[0]');
    expect(e).toContain('hostBridges[1].uid: duplicates the UID of hostBridges[0]');
  });
  it('endpoint with an invalid decoder count and a zero capacity', () => {
    const f = base();
    Object.assign(f.hostBridges[0].rootPorts[0].endpoint, { decoders: 3, capacity: {} });
    const e = errorsOf(f);
    expect(e).toContain('hostBridges[0].rootPorts[0].endpoint.capacity: must give the device some capacity');
    expect(e.some((m) => m.startsWith('hostBridges[0].rootPorts[0].endpoint.decoders: must be 1, 2, 4'))).toBe(true);
  });
  it('switch without downstream ports, nested path', () => {
    const f = { hostBridges: [{ uid: 0, rootPorts: [{ switch: { downstreamPorts: [{ port: 2, switch: { downstreamPorts: [] } }] } }] }] };
    expect(errorsOf(f)).toContain(
      'hostBridges[0].rootPorts[0].switch.downstreamPorts[0].switch.downstreamPorts: must list at least one downstream port',
    );
  });
  it('duplicate serial numbers', () => {
    const f = base();
    (f.hostBridges[0].rootPorts[1].endpoint as Record<string, unknown>).serial = 1;
    expect(errorsOf(f)).toContain('hostBridges[0].rootPorts[1].endpoint.serial: duplicates the serial number of hb0.rp0.ep0 (0x1)');
  });
  it('missing hostBridges and a backend without a link', () => {
    expect(errorsOf({})).toContain('hostBridges: must be a list of host bridges');
    const f = base();
    Object.assign(f.hostBridges[0].rootPorts[0].endpoint, { backend: { map: 'x.json' } });
    expect(errorsOf(f)).toContain('hostBridges[0].rootPorts[0].endpoint.backend.link: must be a link URI string');
  });
  it('a bridge link without a device map; a sysfs link needs none', () => {
    const f = base();
    Object.assign(f.hostBridges[0].rootPorts[0].endpoint, { backend: { link: 'uartbone:/dev/ttyUSB0@115200' } });
    expect(errorsOf(f).join('\n')).toMatch(/hostBridges\[0\]\.rootPorts\[0\]\.endpoint\.backend\.map: required for a bridge link/);
    Object.assign(f.hostBridges[0].rootPorts[0].endpoint, { backend: { link: 'sysfs:0000:3b:00.0' } });
    const r = loadTopology(f);
    expect(r.ok && r.topology.hostBridges[0].rootPorts[0].child).toMatchObject({ backend: { link: 'sysfs:0000:3b:00.0' } });
    expect(r.ok && (r.topology.hostBridges[0].rootPorts[0].child as { backend: object }).backend).not.toHaveProperty('map');
  });
});
