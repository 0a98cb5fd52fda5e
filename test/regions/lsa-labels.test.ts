// LSA labels (CXL 2.0 9.13.2): codec round trips with Fletcher-64 checksums, the index sequence rule, and a
// pmem region labelled on a live bench read back through Get LSA.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentIndex, decodeIndexBlock, decodeLabel, decodeLsa, encodeIndexBlock, encodeNamespaceLabel, encodeRegionLabel, fletcher64, lsaLayout } from '../../host/lsa/labels.js';
import { callApi } from '../../main/api/table.js';
import type { Services } from '../../main/services/services.js';
import { tempServices } from '../api/helpers.js';

describe('label codec', () => {
  it('fletcher64 follows nd_fletcher64 (lo wraps at 32 bits, hi sums lo)', () => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setUint32(0, 0xffff_ffff, true);
    new DataView(b.buffer).setUint32(4, 2, true);
    // lo: 0xffffffff, then 0x1 (wrapped); hi: 0xffffffff + 0x1 = 0x100000000 -> low 32 bits 0
    expect(fletcher64(b)).toBe(0x0000_0000_0000_0001n);
  });
  it('a 128 KiB LSA: 256-byte index blocks, labels from 0x200, 510 slots (both index blocks fit)', () => {
    expect(lsaLayout(128 * 1024)).toEqual({ indexSize: 256, labelOff: 512, nslot: 510 });
    const { indexSize, labelOff, nslot } = lsaLayout(128 * 1024);
    expect(labelOff + nslot * 256).toBeLessThanOrEqual(128 * 1024);
    expect(indexSize).toBe(256);
  });
  it('index blocks round-trip; a flipped byte fails the checksum; sequence 1 follows 3', () => {
    const free = new Set([0, 2, 509]);
    const a = encodeIndexBlock({ seq: 3, myoff: 0, mysize: 256, otheroff: 256, labeloff: 512, nslot: 510, free });
    const d = decodeIndexBlock(a, 0)!;
    expect(d).toMatchObject({ seq: 3, nslot: 510, major: 2, minor: 1, labelSize: 256, checksumOk: true });
    expect([...d.free].sort((x, y) => x - y)).toEqual([0, 2, 509]);
    const bad = a.slice();
    bad[100]! ^= 1;
    expect(decodeIndexBlock(bad, 0)!.checksumOk).toBe(false);
    const b = decodeIndexBlock(encodeIndexBlock({ seq: 1, myoff: 256, mysize: 256, otheroff: 0, labeloff: 512, nslot: 510, free }), 256)!;
    expect(currentIndex(d, b)!.seq).toBe(1);
    const c = decodeIndexBlock(encodeIndexBlock({ seq: 2, myoff: 256, mysize: 256, otheroff: 0, labeloff: 512, nslot: 510, free }), 256)!;
    expect(currentIndex(d, c)!.seq).toBe(3);
  });
  it('region and namespace labels round-trip with their type UUIDs', () => {
    const r = encodeRegionLabel({ uuid: '11111111-2222-4333-8444-555555555555', flags: 0, nlabel: 4, position: 2, dpa: 0x1000_0000, rawsize: 0x1000_0000, hpa: 0x10_0000_0000, slot: 7, granularity: 4096, align: 0x1000_0000 });
    expect(decodeLabel(r)).toMatchObject({ kind: 'region', nlabel: 4, position: 2, granularity: 4096, hpa: 0x10_0000_0000, slot: 7, checksumOk: true });
    const n = encodeNamespaceLabel({ uuid: '66666666-7777-4888-8999-aaaaaaaaaaaa', name: 'pmem0', flags: 0, nrange: 1, position: 2, dpa: 0, rawsize: 0x1000_0000, slot: 8, align: 0x1000_0000, regionUuid: '11111111-2222-4333-8444-555555555555', abstractionUuid: '266400ba-fb9f-4677-bcb0-968f11d0d225', lbasize: 0 });
    expect(decodeLabel(n)).toMatchObject({ kind: 'namespace', name: 'pmem0', regionUuid: '11111111-2222-4333-8444-555555555555', checksumOk: true });
    expect(decodeLsa(new Uint8Array(128 * 1024)).problems).toEqual(['no valid namespace index block: labels not initialised']);
  });
});

describe('labels on a live bench', () => {
  let env: Awaited<ReturnType<typeof tempServices>>;
  let s: Services;
  let sessionId: number;
  beforeAll(async () => {
    env = await tempServices();
    s = env.services;
    sessionId = s.store.sessions.create('labels').id;
    await callApi(s, 'live.open', { sessionId, topology: 'pmem-only' });
  });
  afterAll(async () => env.dispose());

  it('a labelled pmem region: each device holds a region label and a namespace label naming the region, index seq 1 current', async () => {
    const r = await callApi(s, 'regions.create', { sessionId, mode: 'pmem', labels: true, memtest: false });
    expect(r.steps.filter((x) => x.verdict === 'fail')).toEqual([]);
    for (const t of r.region!.targets) {
      const v = await callApi(s, 'regions.labels', { sessionId, node: t.node });
      expect(v.problems).toEqual([]);
      expect(v.current).toBe(256);
      expect(v.index[1]).toMatchObject({ seq: 1, freeSlots: 508, checksumOk: true });
      const [region, ns] = v.labels as Array<Record<string, unknown>>;
      expect(region).toMatchObject({ kind: 'region', uuid: r.region!.uuid, position: t.position, nlabel: 2, hpa: r.region!.base, rawsize: r.region!.size / 2 });
      expect(ns).toMatchObject({ kind: 'namespace', regionUuid: r.region!.uuid, position: t.position, dpa: t.dpa });
    }
  });
  it('a second labelled region takes the next free slots and advances the sequence (1 -> 2)', async () => {
    await callApi(s, 'regions.teardown', { sessionId });
    await callApi(s, 'regions.create', { sessionId, mode: 'pmem', labels: true, memtest: false });
    const v = await callApi(s, 'regions.labels', { sessionId, node: 'hb0.rp0.ep0' });
    expect(v.current).toBe(0);
    expect(v.index[0]).toMatchObject({ seq: 2, freeSlots: 506 });
    expect((v.labels as Array<{ slot: number }>).map((l) => l.slot)).toEqual([0, 1, 2, 3]);
  });
});
