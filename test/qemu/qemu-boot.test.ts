// Real Linux in the loop: QEMU 7.2 boots this machine's kernel with its CXL modules on single, interleave2 and
// a switch topology (each booted once, shared by the assertions), and the runs hold the real driver's results
// and QEMU's accesses on the right nodes. Needs qemu-system-x86, linux-image-amd64, busybox-static, ndctl
// (.ci/run installs them); CXL_BENCH_SKIP_QEMU=1 skips this file where they cannot be installed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run, RunDetail } from '../../main/api/contract.js';
import { callApi } from '../../main/api/table.js';
import { createServices, type Services } from '../../main/services/services.js';
import { runCli } from '../cli/run-cli.js';

const skip = process.env.CXL_BENCH_SKIP_QEMU === '1';
const BOOTS = ['qemu-single', 'qemu-interleave2', 'qemu-switch4'] as const;

describe.skipIf(skip)('QEMU + Linux runs (real boots)', () => {
  let dir: string;
  let s: Services;
  let sessionId: number;
  const runs = new Map<string, RunDetail>();
  const nodesOf = (name: string) => s.store.chunks.nodes(runs.get(name)!.id);
  const rows = async (name: string, node: string, region?: string) =>
    (await callApi(s, 'trace.page', { runId: runs.get(name)!.id, offset: 0, limit: 5000, filter: { node } })).rows.filter((r) => region === undefined || r.region === region);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cxlb-qemu-'));
    s = await createServices({ dbPath: join(dir, 'bench.sqlite') });
    sessionId = (await callApi(s, 'sessions.create', { name: 'qemu' })).id;
    // One at a time: the machine has 2 cores shared with the rest of the suite.
    for (const topology of BOOTS) {
      const run = await callApi(s, 'qemu.run', { sessionId, topology, region: 'pmem', timeoutS: 240 });
      await s.qemu.wait(run.id);
      runs.set(topology, await callApi(s, 'runs.get', { id: run.id }));
    }
  }, 900_000);

  afterAll(async () => {
    await s?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(BOOTS)('%s: passed, every memdev probed by the real driver, decoders enumerated, the pmem region committed', (name) => {
    const r = runs.get(name)!;
    expect(r.status, r.summary ?? '').toBe('passed');
    expect(r.sequence).toBe('qemu-linux');
    const steps = new Map(r.steps.map((x) => [x.name, x]));
    const probes = r.steps.filter((x) => x.name.startsWith('linux: probe '));
    expect(probes.length).toBe({ 'qemu-single': 1, 'qemu-interleave2': 2, 'qemu-switch4': 4 }[name]);
    for (const p of probes) expect(p.verdict).toBe('pass');
    expect(steps.get('linux: decoders')?.verdict).toBe('pass');
    expect(steps.get('linux: region')).toMatchObject({ verdict: 'pass' });
    expect(steps.get('linux: region')?.reason).toMatch(/region0 committed: \d-way, granularity 256/);
  });

  it('single: QEMU\'s accesses on the root port and the endpoint (config, component registers, mailbox)', async () => {
    expect(nodesOf('qemu-single').sort()).toEqual(['hb0.rp0', 'hb0.rp0.ep0']);
    expect((await rows('qemu-single', 'hb0.rp0.ep0', 'bar2')).length).toBeGreaterThan(100);
    const hdm = (await rows('qemu-single', 'hb0.rp0.ep0', 'bar0')).find((x) => x.offset === 0x1110);
    expect(hdm).toMatchObject({ width: 4, value: '0x00000310' });
  });

  it('interleave2: both endpoints and the host bridge\'s CHBCR, where Linux programs the 2-way decoder', async () => {
    const nodes = nodesOf('qemu-interleave2');
    expect(nodes).toEqual(expect.arrayContaining(['hb0', 'hb0.rp0.ep0', 'hb0.rp1.ep0']));
    const chbcr = await rows('qemu-interleave2', 'hb0', 'chbcr');
    expect(chbcr.some((x) => x.op === 'W' && x.offset === 0x1130)).toBe(true);
  });

  it('switch4: the switch ports and the four endpoints each on their own node', () => {
    expect(nodesOf('qemu-switch4')).toEqual(
      expect.arrayContaining(['hb0.rp0.sw0.usp', ...[0, 1, 2, 3].flatMap((p) => [`hb0.rp0.sw0.dsp${p}`, `hb0.rp0.sw0.dsp${p}.ep0`])]),
    );
  });

  it('the console is the run\'s log (qemu.console, runs log --console)', async () => {
    const id = runs.get('qemu-single')!.id;
    const { lines } = await callApi(s, 'qemu.console', { runId: id });
    expect(lines.some((l) => l.includes('@@CXLBENCH stage done'))).toBe(true);
    expect(lines.some((l) => /cxl_mem mem0: probe: 0/.test(l))).toBe(true);
    const cli = await runCli(['runs', 'log', String(id), '--console', '--db', join(dir, 'bench.sqlite')]);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain('"memdev":"mem0"');
  });

  it('a guest that does not finish ends \'error\' at its timeout, with what the console had kept', async () => {
    const run: Run = await callApi(s, 'qemu.run', { sessionId, topology: 'qemu-single', timeoutS: 5 });
    const done = await s.qemu.wait(run.id);
    expect(done.status).toBe('error');
    expect(done.summary).toMatch(/did not finish within 5 s.*console kept/);
    expect((await callApi(s, 'qemu.console', { runId: run.id })).lines.length).toBeGreaterThan(0);
  }, 60_000);
});

describe.skipIf(skip)('QEMU + Linux: cancel', () => {
  it('runs.cancel kills QEMU: the run ends interrupted and is no longer active', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cxlb-qemu-cancel-'));
    const s = await createServices({ dbPath: join(dir, 'bench.sqlite') });
    try {
      const sessionId = (await callApi(s, 'sessions.create', { name: 'c' })).id;
      const stages: string[] = [];
      const off = s.hub.subscribe((e) => {
        if (e.type === 'run.progress') stages.push(e.phase);
      });
      const run = await callApi(s, 'qemu.run', { sessionId, topology: 'qemu-single' });
      // Cancel once QEMU is running (the initramfs is built first).
      const t0 = Date.now();
      while (!stages.length && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 1000));
      await callApi(s, 'runs.cancel', { id: run.id });
      const done = await s.qemu.wait(run.id);
      off();
      expect(done.status).toBe('interrupted');
      expect(done.summary).toMatch(/^cancelled/);
      expect(s.qemu.isActive(run.id)).toBe(false);
    } finally {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('QEMU + Linux: refusals before anything boots', () => {
  it('no QEMU, no kernel: exit 2 with what is missing and how to get it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cxlb-qemu-cli-'));
    try {
      const db = join(dir, 'x.sqlite');
      const q = await runCli(['run', '--target', 'qemu', '--qemu', '/nonexistent/qemu', '--db', db]);
      expect(q.code).toBe(2);
      expect(q.stderr).toMatch(/qemu: no QEMU at \/nonexistent\/qemu — apt-get install qemu-system-x86/);
      const k = await runCli(['qemu', 'run', '--kernel', '/nonexistent/vmlinuz', '--db', db]);
      expect(k.code).toBe(2);
      expect(k.stderr).toMatch(/kernel: no kernel image at \/nonexistent\/vmlinuz/);
      const t = await runCli(['qemu', 'cmdline', 'single', '--db', db]);
      expect(t.code).toBe(2);
      expect(t.stderr).toMatch(/hostBridges\[0\]\.rootPorts\[0\]\.endpoint\.capacity\.volatile: QEMU 7\.2's cxl-type3 has only a persistent memory backend/);
      const h = await runCli(['qemu', 'run', '--help']);
      expect(h.code).toBe(0);
      expect(h.stdout).toMatch(/qemu doctor/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
