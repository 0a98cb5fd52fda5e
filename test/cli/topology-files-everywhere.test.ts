// issue 14: every command that takes a topology takes a topology file or a saved topology too — import, replay,
// qemu-compare, regs, mailbox, inject — and `compare --node A[=B]` compares one node pair; an import onto a
// topology that lacks the log's devices exits 2 naming them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qemuFixtureDir, readQemuCapture } from '../../main/qemu/qemu-fixture.js';
import { runCli } from './run-cli.js';

let dir: string;
let db: string;
let topoFile: string;
let logFile: string;
let hb2Log: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-topo-everywhere-'));
  db = join(dir, 'bench.sqlite');
  const cap = readQemuCapture(qemuFixtureDir('interleave2'));
  topoFile = join(dir, 'qemu-interleave2.json');
  writeFileSync(topoFile, cap.topologyJson);
  logFile = join(dir, 'interleave2.log');
  writeFileSync(logFile, cap.trace);
  hb2Log = join(dir, 'hb2.log');
  writeFileSync(hb2Log, readQemuCapture(qemuFixtureDir('hb2')).trace);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('topology files everywhere', () => {
  it('regs, mailbox and inject take a topology file', async () => {
    const regs = await runCli(['regs', 'hb0.rp1.ep0', '--topology', topoFile, '--db', db, '--json']);
    expect([regs.code, regs.stderr]).toEqual([0, '']);
    expect(JSON.parse(regs.stdout).registers.length).toBeGreaterThan(0);
    const mbox = await runCli(['mailbox', 'hb0.rp1.ep0', 'identify', '--topology', topoFile, '--db', db, '--json']);
    expect([mbox.code, mbox.stderr]).toEqual([0, '']);
    const inj = await runCli(['inject', 'poison', 'hb0.rp1.ep0', '--dpa', '0x1000', '--topology', topoFile, '--db', db, '--json']);
    expect([inj.code, inj.stderr]).toEqual([0, '']);
    const bad = await runCli(['regs', 'hb0.rp0.ep0', '--topology', join(dir, 'missing.json'), '--db', db]);
    expect(bad.code).toBe(2);
  });

  it('import onto a topology file (stored with the run) and replay on it by default; qemu-compare takes the file', async () => {
    const imp = await runCli(['import', logFile, '--format', 'qemu', '--topology', topoFile, '--db', db, '--json']);
    expect([imp.code, imp.stderr]).toEqual([0, '']);
    const run = JSON.parse(imp.stdout);
    expect(run.topology).toBe('qemu-interleave2');
    expect(run.report.placement).toBe('command line');
    const rep = await runCli(['replay', String(run.id), '--db', db, '--json', '--hunks', '0']);
    const out = JSON.parse(rep.stdout);
    expect(out.replay.topology).toBe('qemu-interleave2');
    expect(out.compare.devices.map((d: { node: string }) => d.node)).toContain('hb0.rp1.ep0');
    const q = await runCli(['qemu-compare', logFile, '--topology', topoFile, '--db', db]);
    expect(q.stderr).toBe('');
    expect(q.stdout).toMatch(/placed by command line/);
    expect(q.stdout).toMatch(/per device:/);
  });

  it('an import onto a topology without the log\'s devices exits 2 naming them; --node-map places them', async () => {
    const r = await runCli(['import', hb2Log, '--format', 'qemu', '--topology', 'single', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no node for 3 CXL device\(s\) of the log: .*cxl-rp@20:00\.0, cxl-type3@21:00\.0/);
    const ok = await runCli(['import', hb2Log, '--format', 'qemu', '--topology', 'single', '--db', db, '--node-map', 'cxl-rp@20:00.0=hb0.rp0', '--node-map', 'cxl-type3@21:00.0=hb0.rp0.ep0', '--node-map', 'pxb-cxl=hb0']);
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    expect(ok.stdout).toMatch(/lines: \d+ imported/);
  });

  it('topology from-qemu CMDLINE writes a topology file the capture imports onto by its own command line', async () => {
    const cmd = join(dir, 'hb2.cmdline');
    writeFileSync(cmd, readQemuCapture(qemuFixtureDir('hb2')).cmdline);
    const out = join(dir, 'hb2.json');
    const r = await runCli(['topology', 'from-qemu', cmd, '--out', out, '--name', 'hb2-capture']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const imp = await runCli(['import', hb2Log, '--format', 'qemu', '--topology', out, '--db', db, '--json']);
    expect([imp.code, imp.stderr]).toEqual([0, '']);
    expect(JSON.parse(imp.stdout)).toMatchObject({ topology: 'hb2-capture', report: { placement: 'command line' } });
  });

  it('compare --node A=B compares one node pair; --json carries devices, structures and the alignment', async () => {
    const a = JSON.parse((await runCli(['run', '--sequence', 'enumerate', '--topology', 'interleave2', '--db', db, '--json'])).stdout);
    const b = JSON.parse((await runCli(['run', '--sequence', 'enumerate', '--topology', 'interleave2', '--db', db, '--json'])).stdout);
    const same = await runCli(['compare', String(a.run?.id ?? a.id), String(b.run?.id ?? b.id), '--db', db, '--node', 'hb0.rp1.ep0', '--json']);
    expect(same.code).toBe(0);
    const s = JSON.parse(same.stdout);
    expect(s.devices.map((d: { node: string }) => d.node)).toEqual(['hb0.rp1.ep0']);
    expect(s.alignment).toMatchObject({ mode: 'node', streams: 1, ratio: 1 });
    const cross = await runCli(['compare', String(a.run?.id ?? a.id), String(b.run?.id ?? b.id), '--db', db, '--node', 'hb0.rp0.ep0=hb0.rp1.ep0']);
    expect(cross.code).toBe(1);
    expect(cross.stdout).toMatch(/per device:\n {4}hb0\.rp1\.ep0: /);
  });
});
