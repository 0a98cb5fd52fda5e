// The command line: `import FILE --format qemu` then `replay RUN` as a two-command flow, the one-shot
// `qemu-compare LOG`, and a replay of one of our own runs through the worker comparing equal (exit 0).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';

const FIXTURE = new URL('../fixtures/qemu-7.2-seabios-cxl.log', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'cxl-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cxl-bench replay / qemu-compare', () => {
  it('import --format qemu then replay RUN: exit 1 with the first divergence and decoded hunks', async () => {
    const db = join(dir, 'two-step.sqlite');
    const imp = await runCli(['import', FIXTURE, '--format', 'qemu', '--db', db, '--json']);
    expect(imp.code).toBe(0);
    const run = JSON.parse(imp.stdout) as { id: number };
    const r = await runCli(['replay', String(run.id), '--profile', 'qemu', '--hunks', '20', '--db', db]);
    expect(r.stderr).not.toMatch(/cxl-bench:/);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^replay run \\d+ of run ${run.id} on single: passed`));
    expect(r.stdout).toContain('DIFFERENT');
    // The import keeps only the CXL functions: of those the replay skips just the host bridge (pxb-cxl, no
    // config space node in our model), which is then the first divergence.
    expect(r.stdout).toMatch(/skipped \(not in this run: hb0 ×11\)/);
    expect(r.stdout).toContain('first divergence: only in A: #0 hb0');
    expect(r.stdout).toContain('Capabilities Pointer: Capabilities Pointer 0x48 ≠ 0x40');
    // Hunks decode fields on both sides: the root port's I/O Base (QEMU decodes I/O, we have no I/O window).
    expect(r.stdout).toContain('I/O Base');
  });

  it('import --all-devices keeps the chipset and the RTC/APIC writes: replay skips and reports them', async () => {
    const db = join(dir, 'all-devices.sqlite');
    const imp = await runCli(['import', FIXTURE, '--format', 'qemu', '--all-devices', '--db', db, '--json']);
    expect(imp.code).toBe(0);
    const run = JSON.parse(imp.stdout) as { id: number };
    const r = await runCli(['replay', String(run.id), '--profile', 'qemu', '--db', db]);
    expect(r.stdout).toMatch(/skipped \(not in this run: 00:00\.0 ×6, qemu ×4, hb0 ×11\)/);
    expect(r.stdout).toContain('first divergence: only in A: #0 00:00.0');
  });

  it('qemu-compare LOG --json: devices by role, the comparison and its hunks; --profile spec adds the ID difference', async () => {
    const db = join(dir, 'one-shot.sqlite');
    const q = await runCli(['qemu-compare', FIXTURE, '--db', db, '--json']);
    expect(q.code).toBe(1);
    const out = JSON.parse(q.stdout);
    expect(out.devices.map((d: { device: string; node: string }) => `${d.device}=${d.node}`)).toEqual(['pxb-cxl@00:03.0=hb0', 'cxl-rp@0c:00.0=hb0.rp0', 'cxl-type3@0d:00.0=hb0.rp0.ep0']);
    // Every line accounted for: the chipset's config cycles are skipped with their reason.
    expect(out.import.skipped['config cycle of a non-CXL device (mch)']).toBeGreaterThan(0);
    expect(out.compare.counts).toEqual({ equal: 123, valueDiffers: 9, onlyA: 2, onlyB: 0, pollCountDiffers: 0 });
    expect(out.hunks.length).toBe(out.compare.hunkCount);
    const spec = await runCli(['qemu-compare', FIXTURE, '--db', db, '--profile', 'spec']);
    expect(spec.code).toBe(1);
    expect(spec.stdout).toContain('Vendor ID 0x8086 ≠ 0x1e98');
  });

  it('replay of our own enumerate run on the same topology compares equal: exit 0', async () => {
    const db = join(dir, 'own.sqlite');
    const run = await runCli(['run', '--sequence', 'enumerate', '--topology', 'switch4', '--db', db, '--json']);
    expect(run.code).toBe(0);
    const id = (JSON.parse(run.stdout) as { id: number }).id;
    const r = await runCli(['replay', String(id), '--db', db]);
    expect(r.stdout).toContain('EQUAL');
    expect(r.stdout).toMatch(/0 value differs, 0 only in source, 0 only in replay/);
    expect(r.code).toBe(0);
  });

  it('bad usage exits 2 naming the problem', async () => {
    expect(await runCli(['replay', 'x'])).toMatchObject({ code: 2, stderr: expect.stringContaining('RUN must be a positive integer') });
    expect(await runCli(['replay', '1', '--profile', 'nope', '--db', join(dir, 'own.sqlite')])).toMatchObject({ code: 2, stderr: expect.stringContaining('--profile') });
    expect(await runCli(['replay', '999', '--db', join(dir, 'own.sqlite')])).toMatchObject({ code: 2, stderr: expect.stringContaining('run 999 does not exist') });
    expect(await runCli(['qemu-compare', join(dir, 'missing.log')])).toMatchObject({ code: 2, stderr: expect.stringContaining('no file') });
  });
});
