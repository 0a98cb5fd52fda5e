// The kernel matrix: one device probed under every kernel profile. A device whose firmware left DVSEC range
// decode enabled (Mem_Enable, HDM decoding off) probes on 6.12 and mainline (the DVSEC range fallback) and
// fails on 6.1 (core/pci.c __cxl_hdm_decode_init: "Legacy range registers configuration prevents HDM
// operation", -EBUSY), and the matrix says so.

import { describe, expect, it } from 'vitest';
import { buildKernelMatrix, kernelMatrixText } from '../../../host/kernels/matrix.js';
import { KERNEL_IDS, allKernels } from '../../../host/kernels/index.js';
import { pciFindDvsec } from '../../../host/core/pci.js';
import { linuxProbeRun } from '../../../host/sequences/linux-probe/index.js';
import { realDevice } from '../real-device.js';

async function probeWithFirmwareRanges(kernel: (typeof KERNEL_IDS)[number]) {
  const { target, ctx } = realDevice();
  const d = await pciFindDvsec(target, 0x1e98, 0);
  await target.cfgWrite(d + 0x0c, 2, (await target.cfgRead(d + 0x0c, 2)) | 4);
  await linuxProbeRun(ctx, { kernel });
  return ctx.steps;
}

describe('kernel matrix', () => {
  it('"probes on 6.12, mainline; fails on 6.1 at …" for firmware-enabled DVSEC ranges', async () => {
    const runs = [];
    for (const kernel of KERNEL_IDS) runs.push({ kernel, steps: await probeWithFirmwareRanges(kernel) });
    const m = buildKernelMatrix(runs);
    expect(m.outcome['6.12']!.probes).toBe(true);
    expect(m.outcome.mainline!.probes).toBe(true);
    expect(m.outcome['6.1']!.firstFail!.step).toBe('hb0.rp0.ep0: HDM decode init');
    expect(m.outcome['6.1']!.firstFail!.reason).toContain('Legacy range registers configuration prevents HDM operation');
    expect(m.verdict).toMatch(/^probes on 6\.12, mainline; fails on 6\.1 at hb0\.rp0\.ep0: HDM decode init \(/);
    // Table: the step present under every version, with its verdict per version; steps only one version has.
    const row = m.rows.find((r) => r.step === 'hb0.rp0.ep0: HDM decode init')!;
    expect(row.cells).toEqual({ '6.1': 'fail', '6.12': 'info', mainline: 'info' });
    expect(m.rows.find((r) => r.step === 'hb0.rp0.ep0: Set Timestamp')!.cells['6.1']).toBe('info');
    expect(kernelMatrixText(m)).toContain('FAIL');
  });

  it('every profile cites a source for every rule', () => {
    for (const k of allKernels()) {
      for (const [name, rule] of [...Object.entries(k.probe), ...Object.entries(k.region)]) {
        expect(rule.source, `${k.id} ${name}`).toMatch(/drivers\/|arch\/x86/);
        expect(rule.value, `${k.id} ${name}`).not.toBeUndefined();
      }
    }
  });
});
