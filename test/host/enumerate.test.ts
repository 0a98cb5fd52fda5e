import { describe, expect, it } from 'vitest';
import { enumerateRun } from '../../host/sequences/enumerate.js';
import { getSequence, SEQUENCES } from '../../host/sequences.js';
import { resolveBlock } from '../../emulator/spec/blocks.js';
import { realDevice } from './real-device.js';

describe('enumerate', () => {
  it('discovers the same blocks at the same places as the emulated device’s own layout', async () => {
    const { dev, ctx } = realDevice();
    const r = await enumerateRun(ctx);
    expect(r.layout).toHaveLength(1);
    const found = r.layout[0]!.blocks.map((b) => `${b.region}:${b.base}:${b.block}`);
    const truth = dev
      .layout()
      .filter((b) => b.region !== 'bar4' && b.block !== 'pci-msix-table')
      .map((b) => `${b.region}:${b.base}:${b.block}`);
    expect(new Set(found)).toEqual(new Set(truth));
    expect(r.layout[0]!.kind).toBe('type3');
  });

  it('block params it writes resolve through the emulator’s registry (so traces decode)', async () => {
    const { ctx } = realDevice();
    const r = await enumerateRun(ctx);
    for (const b of r.layout[0]!.blocks) expect(resolveBlock(b.block, b.params ?? {}), b.block).toBeDefined();
    const hdm = r.layout[0]!.blocks.find((b) => b.block === 'cxl-hdm-decoder')!;
    expect(hdm.params).toEqual({ decoders: 4, endpoint: 1 });
  });

  it('reports each function as steps and a summary', async () => {
    const { ctx } = realDevice();
    const r = await enumerateRun(ctx);
    expect(ctx.steps.map((s) => s.name)).toEqual([
      'hb0.rp0.ep0: IDs',
      'hb0.rp0.ep0: register locator',
      'hb0.rp0.ep0: component capability array',
      'hb0.rp0.ep0: device capability array',
    ]);
    expect(ctx.steps.every((s) => s.verdict === 'pass')).toBe(true);
    expect(r.summary).toMatch(/^enumerate: 4 pass/);
  });

  it('the registry lists the sequences by id', () => {
    expect(SEQUENCES.map((s) => s.id)).toEqual(['enumerate', 'linux-probe', 'region', 'region-teardown', 'conformance', 'replay']);
    expect(getSequence('linux-probe')?.title).toBe('Linux probe');
    expect(getSequence('nope')).toBeUndefined();
  });
});
