import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import type { Run, RunDetail } from '../../main/api/contract.js';
import { main } from '../../cli/main.js';
import { loadMigrations } from '../../main/store/migrate.js';
import { runCli } from './run-cli.js';

const BIN = fileURLToPath(new URL('../../bin/cxl-bench.mjs', import.meta.url));
const TEST_SEQUENCES = new URL('../runs/fixtures/test-sequences.ts', import.meta.url).href;

let dir = '';
let db = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-cli-'));
  db = join(dir, 'bench.sqlite');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** cli/main in this process, with captured output (same code path as the launcher, minus the spawn). */
async function inProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, cb) {
        append(chunk.toString());
        cb();
      },
    });
  const prev = process.cwd();
  process.chdir(dir);
  try {
    const code = await main(args, { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)) });
    return { code, stdout, stderr };
  } finally {
    process.chdir(prev);
  }
}

describe('cxl-bench CLI', () => {
  let demo: RunDetail;

  // --emulated-only: these tests are about the emulated run and the commands over stored runs; the hardware leg
  // (a probe over a simulated UARTBone pty, thousands of round trips) is trace-hardware-commands.test.ts's, with a
  // timeout sized for a loaded machine.
  it('demo --json runs the default sequence on the default emulated topology and exits 0', async () => {
    const r = await cli(['demo', '--db', db, '--json', '--emulated-only']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    demo = JSON.parse(r.stdout) as RunDetail;
    expect(demo.status).toBe('passed');
    expect(demo.topology).toBe('single');
    expect(demo.targets).toContain('=emulated');
    expect(demo.eventCount).toBeGreaterThan(100);
    expect(demo.steps.length).toBe(demo.stepCounts.pass + demo.stepCounts.warn + demo.stepCounts.fail + demo.stepCounts.info);
  });

  it('runs list --json shows the stored run; trace exports one CSV line per event', async () => {
    const list = await inProcess(['runs', 'list', '--db', db, '--json']);
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as Run[]).map((r) => r.id)).toContain(demo.id);

    const out = join(dir, 'trace.csv');
    const t = await inProcess(['trace', String(demo.id), '--format', 'csv', '--out', out, '--db', db]);
    expect(t.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toMatch(/^seq,/);
    expect(lines.length).toBe(demo.eventCount + 1);
  });

  it('compare of two demo runs of the same device exits 0 when equal', async () => {
    const again = JSON.parse((await inProcess(['demo', '--db', db, '--json', '--emulated-only'])).stdout) as RunDetail;
    const r = await inProcess(['compare', String(demo.id), String(again.id), '--db', db, '--json']);
    expect(r.stderr).toBe('');
    const summary = JSON.parse(r.stdout);
    expect(r.code).toBe(summary.equal ? 0 : 1);
    expect(summary.events).toEqual(expect.objectContaining({ a: demo.eventCount, b: again.eventCount }));
  });

  it('session export writes a file that session import brings into another database', async () => {
    const file = join(dir, 'demo-session.sqlite');
    const ex = await inProcess(['session', 'export', String(demo.sessionId), '--out', file, '--db', db, '--json']);
    expect(ex.stderr).toBe('');
    expect(ex.code).toBe(0);
    expect(JSON.parse(ex.stdout)).toMatchObject({ path: file });
    const other = join(dir, 'other.sqlite');
    const im = await inProcess(['session', 'import', file, '--db', other, '--json']);
    expect(im.code).toBe(0);
    const [session] = JSON.parse(im.stdout);
    expect(session).toMatchObject({ name: 'demo' });
    expect(session.runCount).toBeGreaterThanOrEqual(1);
    const again = await inProcess(['session', 'export', String(demo.sessionId), '--out', file, '--db', db]);
    expect([again.code, again.stderr.trim()]).toEqual([2, `cxl-bench: session export: ${file} already exists`]);
  });

  it('a failing verdict exits 1', async () => {
    process.env.CXL_BENCH_SEQUENCE_MODULES = TEST_SEQUENCES;
    const r = await inProcess(['demo', '--db', db, '--sequence', 'test-fail', '--topology', 'none']).finally(() => {
      delete process.env.CXL_BENCH_SEQUENCE_MODULES;
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAILED');
    expect(r.stdout).toContain('FAIL check: value differs');
  });

  it.each([
    [['demo', '--bogus'], /^cxl-bench: demo: Unknown option '--bogus'/],
    [['frobnicate'], /^cxl-bench: unknown command "frobnicate"/],
    [['trace', '1', '--format', 'xml', '--db', 'x.sqlite'], /^cxl-bench: trace: --format must be one of csv, jsonl\b.*, got "xml"/],
    [['trace', 'abc', '--format', 'csv'], /^cxl-bench: trace: RUN must be a run id/],
    [['runs', 'list', '--db', 'missing.sqlite'], /^cxl-bench: runs list: no database at missing\.sqlite/],
    [['compare', '1'], /^cxl-bench: compare: missing RUN_A RUN_B/],
    [['regs', 'hb9.rp0.ep0'], /^cxl-bench: regs: no endpoint "hb9.rp0.ep0" in topology single/],
  ])('bad usage %j exits 2 with a one-line error', async (args, message) => {
    const r = await inProcess(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('the launcher process exits 2 on bad usage', async () => {
    const r = await cli(['demo', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('regs prints the decoded registers of an emulated endpoint', async () => {
    const r = await inProcess(['regs', 'hb0.rp0.ep0', '--space', 'cfg']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Vendor ID/);
  });
});

describe('--version', () => {
  it('prints the release from package.json, node and the newest schema, exit 0 (also -V and `version`)', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const schema = loadMigrations().at(-1)!.version;
    for (const flag of ['--version', '-V', 'version']) {
      const r = await runCli([flag]);
      expect(r).toEqual({ code: 0, stdout: `cxl-bench ${version}\nnode ${process.versions.node}, database schema ${schema}\n`, stderr: '' });
    }
  });
});
