// The topology view's file edits (renderer/src/lib/topology-file.ts): backend choices written into a topology
// file land on the endpoint the server names by the same path, and read back unchanged.

import { describe, expect, it } from 'vitest';
import { DEFAULT_TOPOLOGIES } from '../../emulator/topology/defaults/index.js';
import { loadTopology } from '../../emulator/topology/load.js';
import { topologyEndpoints } from '../../main/runs/emulated-endpoints.js';
import { choicesFromBackends, endpointEntries, sameAsFile, withBackends } from '../../renderer/src/lib/topology-file.js';

describe('topology file edits from the topology view', () => {
  it.each(Object.keys(DEFAULT_TOPOLOGIES))('%s: every endpoint path the view knows is one the server validates', (name) => {
    const raw = DEFAULT_TOPOLOGIES[name as keyof typeof DEFAULT_TOPOLOGIES];
    const r = loadTopology(structuredClone(raw));
    if (!r.ok) throw new Error('built-in invalid');
    expect([...endpointEntries(raw).keys()].sort()).toEqual(topologyEndpoints(r.topology).map((e) => e.path).sort());
  });

  it('a link choice becomes that endpoint backend (inline map JSON stays an object), emulated removes it', () => {
    const json = JSON.stringify(DEFAULT_TOPOLOGIES.switch4);
    const r0 = loadTopology(json);
    if (!r0.ok) throw new Error('built-in invalid');
    const [a, b] = topologyEndpoints(r0.topology).map((e) => e.path);
    const edited = withBackends(json, { [a!]: { kind: 'link', uri: ' etherbone+tcp://127.0.0.1:9 ', map: 'board.csr.json' }, [b!]: { kind: 'link', uri: 'uartbone:/dev/ttyUSB0@115200', map: '{"cfg":{"base":0,"size":4096},"bar0":{"base":4096,"size":65536},"bar2":{"base":131072,"size":65536}}' } }, 'my-switch');
    const r = loadTopology(edited);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.topology.name).toBe('my-switch');
    const eps = new Map(topologyEndpoints(r.topology).map((e) => [e.path, e.backend]));
    expect(eps.get(a!)).toEqual({ link: 'etherbone+tcp://127.0.0.1:9', map: 'board.csr.json' });
    expect(eps.get(b!)?.map).toEqual({ cfg: { base: 0, size: 4096 }, bar0: { base: 4096, size: 65536 }, bar2: { base: 131072, size: 65536 } });
    expect([...eps.values()].filter(Boolean)).toHaveLength(2);

    const back = withBackends(edited, { [a!]: { kind: 'emulated' } });
    const r2 = loadTopology(back);
    if (!r2.ok) throw new Error('invalid');
    expect(topologyEndpoints(r2.topology).filter((e) => e.backend).map((e) => e.path)).toEqual([b]);
  });

  it('choices read back from a file compare equal to it; a changed link does not', () => {
    const file = choicesFromBackends({ 'hb0.rp0.ep0': { link: 'etherbone+tcp://127.0.0.1:9', map: { cfg: { base: 0, size: 4096 } } } });
    expect(file['hb0.rp0.ep0']).toEqual({ kind: 'link', uri: 'etherbone+tcp://127.0.0.1:9', map: '{"cfg":{"base":0,"size":4096}}' });
    const paths = ['hb0.rp0.ep0', 'hb0.rp1.ep0'];
    expect(sameAsFile({ ...file, 'hb0.rp1.ep0': { kind: 'emulated' } }, file, paths)).toBe(true);
    expect(sameAsFile({ 'hb0.rp0.ep0': { kind: 'link', uri: 'etherbone+tcp://127.0.0.1:10', map: '' } }, file, paths)).toBe(false);
    expect(sameAsFile({}, file, paths)).toBe(false);
  });

  it('a sysfs link with no map is written without one, and reads back with an empty map', () => {
    const json = JSON.stringify({ name: 't', hostBridges: [{ uid: 0, rootPorts: [{ endpoint: { capacity: { volatile: '256MiB' } } }] }] });
    const [path] = [...endpointEntries(JSON.parse(json)).keys()];
    const edited = JSON.parse(withBackends(json, { [path!]: { kind: 'link', uri: ' sysfs:0000:3b:00.0 ', map: ' ' } }));
    expect(edited.hostBridges[0].rootPorts[0].endpoint.backend).toEqual({ link: 'sysfs:0000:3b:00.0' });
    expect(choicesFromBackends({ [path!]: { link: 'sysfs:0000:3b:00.0' } })[path!]).toEqual({ kind: 'link', uri: 'sysfs:0000:3b:00.0', map: '' });
    // A bridge link keeps whatever map text was typed (the server names a missing one).
    const bridge = JSON.parse(withBackends(json, { [path!]: { kind: 'link', uri: 'uartbone:/dev/ttyUSB0@115200', map: '' } }));
    expect(bridge.hostBridges[0].rootPorts[0].endpoint.backend).toEqual({ link: 'uartbone:/dev/ttyUSB0@115200', map: '' });
  });
});
