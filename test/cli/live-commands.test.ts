// `cxl-bench mailbox`, `inject` and `run`: JSON output, the effect shown after an injection, exit codes (0 ok,
// 1 failed return code / failed step, 2 bad usage naming the problem), and the console run they record.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailboxSendResult, RunDetail } from '../../main/api/contract.js';
import { openStore } from '../../main/store/store.js';
import { runCli } from './run-cli.js';

const EP = 'hb0.rp0.ep0';
let dir = '';
let db = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-live-cli-'));
  db = join(dir, 'bench.sqlite');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cxl-bench mailbox', () => {
  it('identify --json decodes the capacities and is recorded in a passed console run', async () => {
    const r = await runCli(['mailbox', EP, 'identify', '--db', db, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as MailboxSendResult & { runId: number };
    expect(out).toMatchObject({ opcode: 0x4000, returnCode: 0, decoded: { totalBytes: 512 * 2 ** 20 } });
    const store = openStore(db, { recover: false });
    try {
      const run = store.runs.get(out.runId)!;
      expect(run).toMatchObject({ sequence: 'console', status: 'passed' });
      expect(run.eventCount).toBeGreaterThan(10);
    } finally {
      store.close();
    }
  });

  it('prints the decoded answer as text; a hex opcode on another topology works too', async () => {
    const r = await runCli(['mailbox', 'hb0.rp1.ep0', '0x4100', '--topology', 'interleave2', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^hb0\.rp1\.ep0 0x4100 Get Partition Info -> 0x0000 Success/);
  });

  it('a non-Success return code exits 1', async () => {
    const r = await runCli(['mailbox', EP, 'identify', '--payload', '00', '--db', db, '--json']);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as MailboxSendResult).returnCode).not.toBe(0);
  });

  it.each([
    [['mailbox', EP], /missing NODE OPCODE/],
    [['mailbox', EP, 'frobnicate'], /opcode: unknown command "frobnicate"/],
    [['mailbox', 'hb0.rp9.ep0', 'identify'], /no node "hb0\.rp9\.ep0"/],
    [['mailbox', EP, 'identify', '--payload', 'xyz'], /payloadHex: must be hex bytes/],
    [['mailbox', EP, 'identify', '--topology', 'nope'], /unknown topology "nope"/],
  ])('%j exits 2 with one line naming the problem', async (args, message) => {
    const r = await runCli([...args, '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});

describe('cxl-bench inject', () => {
  it('poison then shows Get Poison List with the record', async () => {
    const r = await runCli(['inject', 'poison', EP, '--dpa', '0x3000', '--length', '192', '--db', db, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { injection: { effect: string }; mailbox: MailboxSendResult };
    expect(out.injection.effect).toContain('0x3000');
    expect(out.mailbox.name).toBe('Get Poison List');
    expect((out.mailbox.decoded as { records: unknown[] }).records).toContainEqual(expect.objectContaining({ dpa: 0x3000, length64: 3 }));
  });

  it('event then shows the record in that log', async () => {
    const r = await runCli(['inject', 'event', EP, '--log', 'warning', '--kind', 'memory-module', '--event-type', '3', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/memory-module record into the warning log/);
    expect(r.stdout).toMatch(/Get Event Records -> 0x0000 Success/);
    expect(r.stdout).toMatch(/count: 1/);
  });

  it('ras on a fresh platform reports the error masked (CXL 2.0 8.2.5.9.2): no status bit, masks shown', async () => {
    const r = await runCli(['inject', 'ras', EP, '--kind', 'uncorrectable', '--bits', '0x10', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/uncorrectable error bits 0x10 masked by the Uncorrectable Error Mask register: not recorded/);
    expect(r.stdout).toMatch(/Uncorrectable Error Status\s+= 0x00000000/);
    expect(r.stdout).toMatch(/Uncorrectable Error Mask\s+= 0x0001cfff/);
  });

  it('ras --unmask clears the mask bit, then shows the status bit set and the First Error Pointer', async () => {
    const r = await runCli(['inject', 'ras', EP, '--kind', 'uncorrectable', '--bits', '0x10', '--unmask', '--db', db, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { injection: { effect: string; ras: { set: string; masked: string; unmasked: string } }; registers: { name: string; value: string }[] };
    expect(out.injection.ras).toEqual({ set: '0x10', masked: '0x0', unmasked: '0x10' });
    const reg = (name: string) => BigInt(out.registers.find((x) => x.name === name)!.value);
    expect(reg('Uncorrectable Error Status')).toBe(0x10n);
    expect(reg('Uncorrectable Error Mask')).toBe(0x1cfefn);
    expect(reg('Error Capability and Control') & 0x3fn).toBe(4n);
  });

  it('media then shows Memory Device Status', async () => {
    const r = await runCli(['inject', 'media', EP, '--state', 'disabled', '--db', db, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { registers: { fields: { name: string; value: string }[] }[] };
    expect(out.registers[0]!.fields.find((f) => f.name === 'Media Status')!.value).toBe('0x3');
  });

  it.each([
    [['inject'], /missing injection/],
    [['inject', 'smoke', EP], /must be one of poison, event, ras, media/],
    [['inject', 'poison', EP], /missing --dpa/],
    [['inject', 'poison', EP, '--dpa', '0x1001'], /not 64-byte aligned/],
    [['inject', 'event', EP, '--log', 'loud', '--kind', 'dram'], /--log must be one of/],
    [['inject', 'ras', EP, '--kind', 'correctable', '--bits', '0'], /bits: must be a nonzero/],
    [['inject', 'media', 'hb0.rp0', '--state', 'ready'], /not a Type 3 device/],
  ])('%j exits 2 with one line naming the problem', async (args, message) => {
    const r = await runCli([...args, '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});

describe('cxl-bench run', () => {
  it('runs enumerate through the worker, prints the steps table, exits 0', async () => {
    const r = await runCli(['run', '--sequence', 'enumerate', '--db', db]);
    expect(r.stdout).toMatch(/^run \d+: enumerate on single/);
    expect(r.stdout).toMatch(/verdict\s+step\s+reason/);
    expect(r.stdout).toMatch(/(PASS|INFO)\s+hb0\.rp0\.ep0: IDs/);
    expect(r.code).toBe(r.stdout.includes(' FAIL ') ? 1 : 0);
  });

  it('conformance --json: every check is a step with a verdict; exit 1 exactly when one failed', async () => {
    const r = await runCli(['run', '--sequence', 'conformance', '--db', db, '--json']);
    const run = JSON.parse(r.stdout) as RunDetail;
    expect(run.sequence).toBe('conformance');
    expect(run.steps.length).toBeGreaterThan(20);
    expect(r.code).toBe(run.status === 'passed' ? 0 : 1);
    expect(run.status === 'passed').toBe(run.stepCounts.fail === 0 && !run.summary?.startsWith('error'));
  });

  it.each([
    [['run', '--sequence', 'nope'], /unknown sequence "nope"/],
    [['run', '--sequence', 'enumerate', '--topology', 'nope'], /unknown topology "nope"/],
  ])('%j exits 2', async (args, message) => {
    const r = await runCli([...args, '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('cxl-bench regs --json', () => {
  it('gives the decoded registers of a space, the same declarations the explorer uses', async () => {
    const r = await runCli(['regs', 'hb0.rp0.sw0.dsp1.ep0', '--topology', 'switch4', '--space', 'cfg', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { registers: { name: string; value: string; offset: number }[] };
    const vid = out.registers.find((x) => x.name === 'Vendor ID')!;
    expect(vid.offset).toBe(0);
    expect(vid.value).not.toBe('0xffff');
    expect(out.registers.length).toBeGreaterThan(20);
  });
});
