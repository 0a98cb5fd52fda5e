// The kernel calls (main/api/calls-kernels.ts): kernels.list names every rule's source; runs.start takes a
// kernel and the run's verdicts name it; kernels.matrix runs linux-probe once per profile and tabulates.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from '../../main/api/table.js';
import type { Services } from '../../main/services/services.js';
import { tempServices } from './helpers.js';

describe('kernel profiles over the API', () => {
  let env: Awaited<ReturnType<typeof tempServices>>;
  let s: Services;
  let sessionId: number;
  beforeAll(async () => {
    env = await tempServices();
    s = env.services;
    sessionId = (await callApi(s, 'sessions.create', { name: 'kernels' })).id;
  });
  afterAll(() => env.dispose());

  it('kernels.list gives 6.1, 6.12 and mainline with every rule and its source', async () => {
    const list = await callApi(s, 'kernels.list', {});
    expect(list.map((k) => k.id)).toEqual(['6.1', '6.12', 'mainline']);
    const k61 = list[0]!;
    expect(k61.tree).toContain('6.1.192');
    expect(k61.rules.find((r) => r.name === 'decoderTargetTypeAtProbe')).toMatchObject({ value: 'true', source: expect.stringContaining('init_hdm_decoder') });
  });

  it('runs.start {kernel: "6.1"} runs linux-probe under 6.1 and each verdict names it; a bad kernel is refused by name', async () => {
    const run = await callApi(s, 'runs.start', { sessionId, sequence: 'linux-probe', topology: 'single', kernel: '6.1' });
    await s.runs.wait(run.id);
    const d = await callApi(s, 'runs.get', { id: run.id });
    expect(d.status).toBe('passed');
    expect(d.summary).toContain('(Linux 6.1)');
    expect(d.steps.length).toBeGreaterThan(10);
    expect(d.steps.every((x) => x.reason.includes('Linux 6.1'))).toBe(true);
    const err = await callApi(s, 'runs.start', { sessionId, sequence: 'linux-probe', kernel: '5.15' }).catch((e: Error) => e);
    expect((err as Error).message).toContain('kernel: must be one of 6.1, 6.12, mainline');
  }, 60_000);

  it('kernels.matrix probes one topology under every profile and runs.kernelMatrix rebuilds the table', async () => {
    const r = await callApi(s, 'kernels.matrix', { sessionId, topology: 'single' });
    expect(r.runs.map((x) => x.kernel)).toEqual(['6.1', '6.12', 'mainline']);
    expect(r.matrix.verdict).toBe('probes on 6.1, 6.12, mainline');
    expect(r.matrix.rows.find((x) => x.step === 'hb0.rp0.ep0: Set Timestamp')!.cells).toEqual({ '6.1': 'info', '6.12': 'pass', mainline: 'pass' });
    const again = await callApi(s, 'runs.kernelMatrix', { runs: r.runs.map(({ kernel, runId }) => ({ kernel, runId })) });
    expect(again).toEqual(r.matrix);
  }, 120_000);
});
