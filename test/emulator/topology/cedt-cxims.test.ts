// XOR windows: the CEDT carries Interleave Arithmetic 1 and a CXIMS with the XORMAPs (CXL 3.0 9.17.1.4), and
// cxl_acpi's rules for them (host/core/cedt.ts) hold.
import { describe, expect, it } from 'vitest';
import { buildCedt, decodeCedt } from '../../../emulator/topology/cedt.js';
import { defaultTopology } from '../../../emulator/topology/default-topology.js';
import { loadTopology } from '../../../emulator/topology/load.js';
import { cedtParse } from '../../../host/core/cedt.js';

describe('CEDT CXIMS', () => {
  it('xor2: the window says XOR and one CXIMS at HBIG 0 holds the default XORMAPs', () => {
    const t = defaultTopology('xor2');
    const d = decodeCedt(buildCedt(t));
    expect(d.problems).toEqual([]);
    expect(d.cfmws[0]).toMatchObject({ arithmetic: 1, ways: 2 });
    expect(d.cxims).toEqual([{ hbig: 0, maps: [0x2020900, 0x4041200, 0x1010400, 0x800] }]);
    const h = cedtParse(buildCedt(t));
    expect(h.cfmws[0]!.error).toBeUndefined();
    expect(h.cfmws[0]!.xorMaps).toEqual([0x2020900, 0x4041200, 0x1010400, 0x800]);
  });
  it('an XOR window whose CEDT lacks the CXIMS is not registered ("No CXIMS for HBIG")', () => {
    const b = buildCedt(defaultTopology('xor2'));
    const cut = b.length - (8 + 8 * 4);
    const short = b.slice(0, cut);
    new DataView(short.buffer).setUint32(4, cut, true);
    expect(cedtParse(short).cfmws[0]!.error).toBe('No CXIMS for HBIG 0');
  });
  it('XORMAPs shift with the granularity by default, and bad maps are named', () => {
    const raw = { hostBridges: [0, 1].map((uid) => ({ uid, rootPorts: [{ endpoint: { capacity: { volatile: '256MiB' } } }] })), windows: [{ size: '4GiB', targets: [0, 1], granularity: 1024, arithmetic: 'xor' }] };
    const ok = loadTopology(raw);
    expect(ok.ok && ok.topology.windows[0]!.xorMaps[0]).toBe(0x2020900 * 4);
    const bad = loadTopology({ ...raw, windows: [{ ...raw.windows[0], xorMaps: [] }] });
    expect(!bad.ok && bad.errors.map((e) => e.path)).toEqual(['windows[0].xorMaps']);
    const modulo = loadTopology({ ...raw, windows: [{ size: '4GiB', targets: [0, 1], xorMaps: ['0x100'] }] });
    expect(!modulo.ok && modulo.errors[0]!.message).toMatch(/only an XOR window/);
  });
});
