// regions.* through the API table on a live bench: create a pmem region on an XOR topology, see it in the
// cxl list JSON, decode an HPA through it, break a decoder and see where the chain stops, tear down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../main/api/api-error.js';
import { callApi } from '../../main/api/table.js';
import type { Services } from '../../main/services/services.js';
import { tempServices } from '../api/helpers.js';

let env: Awaited<ReturnType<typeof tempServices>>;
let s: Services;
let sessionId: number;

beforeAll(async () => {
  env = await tempServices();
  s = env.services;
  sessionId = s.store.sessions.create('regions').id;
  await callApi(s, 'live.open', { sessionId, topology: 'xor2' });
});
afterAll(async () => env.dispose());

describe('regions API on a live bench', () => {
  it('regions.create makes a 4-way pmem region under the XOR window and keeps it', async () => {
    const r = await callApi(s, 'regions.create', { sessionId, mode: 'pmem', testBytes: 8192 });
    expect(r.steps.filter((x) => x.verdict === 'fail')).toEqual([]);
    expect(r.region).toMatchObject({ mode: 'pmem', ways: 4, rootWays: 2, xorMaps: [0x2020900] });
    expect(r.memtest).toEqual({ bytes: 8192, errors: 0 });
    expect(r.steps.find((x) => x.name === 'keep')).toBeDefined();
  });

  it('regions.list shows the region with its mappings, in cxl list -vvv shape', async () => {
    const { cxlList } = await callApi(s, 'regions.list', { sessionId });
    const root = (cxlList as any[])[0];
    expect(root.bus).toBe('root0');
    const region = root['decoders:root0'][0]['regions:decoder0.0'][0];
    expect(region).toMatchObject({ region: 'region0', interleave_ways: 4, interleave_granularity: 256, decode_state: 'commit' });
    expect(region.mappings.map((m: { position: number }) => m.position)).toEqual([0, 1, 2, 3]);
  });

  it('regions.decode walks an HPA to an endpoint and DPA; a reset host-bridge decoder breaks the chain there', async () => {
    const ok = await callApi(s, 'regions.decode', { sessionId, hpa: '0x1000000100' });
    expect(ok.ok).toBe(true);
    expect(ok.hops.map((h) => h.level)).toEqual(['window', 'host-bridge', 'endpoint']);
    expect(ok.hops[0]!.detail).toContain('XOR');
    // Misprogram: clear Commit on hb1's decoder 0 through the register explorer.
    const hb = ok.hops[1]!.node;
    const blocks = await callApi(s, 'regs.blocks', { sessionId, node: hb });
    const hdm = blocks.find((b) => b.id.includes('hdm'))!;
    expect(hdm).toBeDefined();
    // HDM decoder 0 Control is at +0x20 of the HDM Decoder Capability structure (CXL 2.0 8.2.5.12).
    await callApi(s, 'regs.write', { sessionId, node: hb, region: 'chbcr', offset: hdm.base + 0x20, width: 4, value: 0 });
    const broken = await callApi(s, 'regions.decode', { sessionId, hpa: '0x1000000100' });
    expect(broken.ok).toBe(false);
    expect(broken.broken!.node).toBe(hb);
    expect(broken.broken!.reason).toContain('no committed HDM decoder claims HPA');
  });

  it('regions.teardown decommits everything still committed', async () => {
    const t = await callApi(s, 'regions.teardown', { sessionId });
    expect(t.reset).toBeGreaterThanOrEqual(4);
    expect(t.steps.filter((x) => x.verdict === 'fail')).toEqual([]);
    const again = await callApi(s, 'regions.teardown', { sessionId });
    expect(again.reset).toBe(0);
  });

  it('bad input is named', async () => {
    const bad = async (input: unknown, field: string) => {
      try {
        await callApi(s, 'regions.create', input as never);
      } catch (e) {
        expect(e).toBeInstanceOf(ApiError);
        expect((e as ApiError).field).toBe(field);
        return;
      }
      throw new Error('accepted');
    };
    await bad({ sessionId, mode: 'flash' }, 'mode');
    await bad({ sessionId, ways: 5 }, 'ways');
    await bad({ sessionId, kernel: '5.10' }, 'kernel');
  });
});
