// The trace and hardware commands: demo (emulated vs simulated rev-a silicon, compared), import (exit 2 naming
// the line), trace --format vcd, link test (0 / 1 / 2), sim (prints its URI, serves until SIGINT), run --target.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareSummary, Run, RunDetail } from '../../main/api/contract.js';
import { startSim } from '../../main/links/sim-server.js';
import { runCli } from './run-cli.js';

const BIN = fileURLToPath(new URL('../../bin/cxl-bench.mjs', import.meta.url));
const QEMU_LOG = fileURLToPath(new URL('../fixtures/qemu-7.2-seabios-cxl.log', import.meta.url));

let dir = '';
let db = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-cli-hw-'));
  db = join(dir, 'bench.sqlite');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A demo's hardware leg is a linux-probe over a simulated UARTBone pty: thousands of round trips through socat
 * and the serial port's thread pool, ~3 s on a quiet machine and ten times that when two suites share 2 cores.
 */
const HARDWARE_RUN_TIMEOUT_MS = 120_000;

type DemoJson = RunDetail & { hardware: (RunDetail & { link: string; profile: string }) | null; comparison: CompareSummary | null };

describe('cxl-bench demo', () => {
  it('probes the emulated endpoint and simulated rev-a silicon, and the comparison finds the rev-a deviations', async () => {
    const r = await runCli(['demo', '--db', db, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as DemoJson;
    expect(d).toMatchObject({ status: 'passed', topology: 'single' });
    expect(d.hardware).toMatchObject({ status: 'passed', profile: 'rev-a' });
    expect(d.hardware!.targets).toContain(`hb0.rp0.ep0=${d.hardware!.link}`);
    const c = d.comparison!;
    expect([c.runA, c.runB, c.equal]).toEqual([d.id, d.hardware!.id, false]);
    expect(c.firstDivergence!.text).toMatch(/Revision ID 0x[0-9a-f]+ ≠ 0xa/);
    expect(c.registers.some((x) => /Data Object Exchange/.test(x.register) && x.onlyA > 0)).toBe(true);
    expect(c.counts.valueDiffers + c.counts.onlyA + c.counts.onlyB).toBeGreaterThan(0);
  }, HARDWARE_RUN_TIMEOUT_MS);

  it('prints the first divergence, the counts and decoded hunks as text; --emulated-only skips the hardware leg', async () => {
    const r = await runCli(['demo', '--db', db, '--link', 'etherbone']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/hardware \(simulated rev-a silicon over etherbone\+tcp:\/\/127\.0\.0\.1:\d+\)/);
    expect(r.stdout).toMatch(/compare run \d+ with run \d+: DIFFERENT/);
    expect(r.stdout).toMatch(/first divergence: value differs: hb0\.rp0\.ep0 · .*Revision ID/);
    expect(r.stdout).toMatch(/\d+ equal, \d+ value differs, \d+ only in emulated, \d+ only in hardware/);
    const e = JSON.parse((await runCli(['demo', '--db', db, '--json', '--emulated-only'])).stdout) as DemoJson;
    expect([e.status, e.hardware, e.comparison]).toEqual(['passed', null, null]);
  }, HARDWARE_RUN_TIMEOUT_MS); // two CLI processes (tsx start-up each) and a hardware leg
});

describe('cxl-bench import / trace', () => {
  it('imports the QEMU capture as a run, and a malformed line exits 2 naming it with nothing written', async () => {
    const r = await runCli(['import', QEMU_LOG, '--db', db, '--json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const run = JSON.parse(r.stdout) as Run;
    expect(run).toMatchObject({ sequence: 'import', status: 'passed' });
    const before = (JSON.parse((await runCli(['runs', 'list', '--db', db, '--json'])).stdout) as Run[]).length;
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, readFileSync(QEMU_LOG, 'utf8').split('\n').slice(0, 3).join('\n') + '\npci_cfg_write cxl-type3 0d:00.0 @0x4 -> 0x6\n');
    const b = await runCli(['import', bad, '--format', 'qemu', '--db', db]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/^cxl-bench: import: .*bad\.csv: line 4: pci_cfg_write: arrow -> does not match/);
    expect((JSON.parse((await runCli(['runs', 'list', '--db', db, '--json'])).stdout) as Run[]).length).toBe(before);
    expect((await runCli(['import', join(dir, 'none.log'), '--db', db])).code).toBe(2);
  });

  it('trace --format vcd dumps a value-change file of a run', async () => {
    const runs = JSON.parse((await runCli(['runs', 'list', '--db', db, '--json'])).stdout) as Run[];
    const out = join(dir, 'run.vcd');
    const r = await runCli(['trace', String(runs[0].id), '--format', 'vcd', '--out', out, '--db', db]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const vcd = readFileSync(out, 'utf8');
    expect(vcd).toMatch(/\$timescale 1ns \$end/);
    expect(vcd).toMatch(/\$enddefinitions \$end/);
  });
});

describe('cxl-bench link / sim / run --target', () => {
  it('link test: 0 against a simulator, 1 when nobody answers, 2 for a bad URI', async () => {
    const sim = await startSim({ kind: 'etherbone', profile: 'ideal' });
    try {
      const ok = await runCli(['link', 'test', sim.uri, '--reads', '3']);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/OK — Vendor\/Device ID 0x[0-9a-f]{8}\n {2}latency µs: min [\d.]+, mean/);
      expect(ok.stdout).toMatch(/\n {2}memory window: 512 MiB at 0x[0-9a-f]+, DPA 0 reads 0x[0-9a-f]{8}\n/);
    } finally {
      await sim.close();
    }
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const dead = await runCli(['link', 'test', `etherbone+tcp://127.0.0.1:${port}`, '--json']);
    expect(dead.code).toBe(1);
    expect(JSON.parse(dead.stdout)).toMatchObject({ ok: false });
    const bad = await runCli(['link', 'test', 'uartbone:/dev/ttyUSB0@fast']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^cxl-bench: link test: bad link URI .*baud rate "fast"/);
  });

  it('sim etherbone --tcp 0 prints a URI a link test reaches, and exits 0 on SIGINT', async () => {
    const child = spawn(process.execPath, [BIN, 'sim', 'etherbone', '--tcp', '0', '--profile', 'rev-a', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d;
        if (out.includes('\n')) resolve(out.split('\n')[0]);
      });
      child.on('exit', (code) => reject(new Error(`sim exited ${code}`)));
    });
    const info = JSON.parse(line) as { uri: string; profile: string };
    expect(info.profile).toBe('rev-a');
    expect((await runCli(['link', 'test', info.uri, '--reads', '2'])).code).toBe(0);
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGINT');
    expect(await exit).toBe(0);
  });

  it('bad usage exits 2 with a one-line error', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['sim', 'uartbone'], /^cxl-bench: sim uartbone: --pty is required/],
      [['sim', 'etherbone', '--tcp', '0', '--profile', 'rev-z'], /^cxl-bench: sim etherbone: --profile must be one of ideal, rev-a/],
      [['sim', 'jtag'], /^cxl-bench: sim: unknown simulator "jtag"/],
      [['run', '--target', 'hb0.rp0.ep0', '--db', db], /^cxl-bench: run: --target must be NODE=URI/],
      [['run', '--target', 'hb7.rp0.ep0=etherbone+tcp://127.0.0.1:1', '--db', db], /^cxl-bench: run: targets\.hb7\.rp0\.ep0: "hb7\.rp0\.ep0" is not an endpoint/],
      [['link'], /^cxl-bench: link: missing subcommand/],
    ];
    for (const [args, re] of cases) {
      const r = await runCli(args);
      expect([r.code, r.stderr.split('\n').length], args.join(' ')).toEqual([2, 2]);
      expect(r.stderr).toMatch(re);
    }
  });

  it('run --target against a simulator that drops the link exits 1 with the run ended error', async () => {
    const sim = await startSim({ kind: 'etherbone', profile: 'ideal' });
    sim.inject({ disconnectAfter: 50 });
    try {
      const r = await runCli(['run', '--sequence', 'enumerate', '--target', `hb0.rp0.ep0=${sim.uri}`, '--db', db, '--json']);
      expect(r.code).toBe(1);
      const d = JSON.parse(r.stdout) as RunDetail;
      expect(d.status).toBe('error');
      expect(d.summary).toMatch(/hb0\.rp0\.ep0: link etherbone\+tcp:\/\/127\.0\.0\.1:\d+ failed/);
      expect(d.eventCount).toBeGreaterThan(50);
    } finally {
      await sim.close();
    }
  });
});
