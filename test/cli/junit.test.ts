// `cxl-bench run ... --junit FILE` (issue 17): each step a JUnit test case with its verdict, reason and evidence;
// exit codes as without it.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { junitXml } from '../../cli/commands/junit.js';
import type { RunDetail } from '../../main/api/contract.js';
import { TEST_SEQUENCES } from '../api/helpers.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cxl-junit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const detail = (over: Partial<RunDetail>): RunDetail => ({
  id: 7,
  sessionId: 1,
  sequence: 'linux-probe',
  topology: 'single',
  targets: 'hb0.rp0.ep0=uartbone:/dev/ttyUSB0@115200',
  status: 'failed',
  startedAt: '2026-01-01T00:00:00.000Z',
  endedAt: '2026-01-01T00:00:02.500Z',
  eventCount: 1234,
  stepCounts: { pass: 1, warn: 1, fail: 1, info: 0 },
  summary: 'region commit failed',
  steps: [
    { seq: 0, name: 'DVSEC <ok> & "ready"', verdict: 'pass', reason: 'Memory_Active=1', evidence: 'DVSEC 0 +0x1C = 0x3', eventSeq: 10 },
    { seq: 1, name: 'mailbox', verdict: 'warn', reason: 'slow \u0007bell', evidence: null, eventSeq: 20 },
    { seq: 2, name: 'HDM commit', verdict: 'fail', reason: 'Commit Error set', evidence: 'HDM Decoder 0 Control = 0x0000_2600 (Committed=0, Err=1)', eventSeq: 30 },
  ],
  ...over,
});

/** Every tag closed in order (a small well-formedness check). */
function balanced(xml: string): boolean {
  const stack: string[] = [];
  for (const m of xml.replace(/<\?xml[^>]*\?>/, '').matchAll(/<(\/?)([A-Za-z_][\w.-]*)([^>]*?)(\/?)>/g)) {
    if (m[4]) continue;
    if (m[1]) {
      if (stack.pop() !== m[2]) return false;
    } else stack.push(m[2]!);
  }
  return stack.length === 0;
}

describe('JUnit output', () => {
  it('makes each step a test case: fail -> <failure> with the evidence, warn/info pass with their verdict', () => {
    const x = junitXml(detail({}));
    expect(balanced(x)).toBe(true);
    expect(x).toContain('<testsuite name="linux-probe.single" tests="3" failures="1" errors="0" skipped="0" time="2.500"');
    expect(x).toContain('name="000 DVSEC &lt;ok&gt; &amp; &quot;ready&quot;"');
    expect(x).toContain('<failure message="Commit Error set" type="fail">HDM Decoder 0 Control = 0x0000_2600 (Committed=0, Err=1)</failure>');
    expect(x).toContain('<property name="verdict" value="warn"/>');
    expect(x).toContain('WARN: slow \ufffdbell'); // a control character is not XML: replaced
    expect(x).toContain('<property name="targets" value="hb0.rp0.ep0=uartbone:/dev/ttyUSB0@115200"/>');
  });

  it('a run that errored without a failing step is one <error> test case', () => {
    const x = junitXml(detail({ status: 'error', summary: 'link lost: timeout', steps: [] }));
    expect(balanced(x)).toBe(true);
    expect(x).toContain('errors="1"');
    expect(x).toContain('<error message="run error" type="error">link lost: timeout</error>');
  });

  it('run --junit FILE writes it and keeps the exit codes (1 on a failed step, 0 passed, 2 bad path)', async () => {
    process.env.CXL_BENCH_SEQUENCE_MODULES = TEST_SEQUENCES;
    try {
      const db = join(dir, 'bench.sqlite');
      const failed = join(dir, 'failed.xml');
      const r = await runCli(['run', '--sequence', 'test-fail', '--topology', 'none', '--db', db, '--junit', failed, '--json']);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({ status: 'failed' });
      const x = readFileSync(failed, 'utf8');
      expect(balanced(x)).toBe(true);
      expect(x).toMatch(/<testcase classname="test-fail.none" name="000 check" time="0">/);
      expect(x).toContain('<failure message="value differs" type="fail">');

      const passed = join(dir, 'passed.xml');
      const ok = await runCli(['run', '--sequence', 'test-pass', '--topology', 'none', '--db', db, '--junit', passed]);
      expect(ok.code).toBe(0);
      expect(readFileSync(passed, 'utf8')).toMatch(/failures="0" errors="0"/);

      const bad = await runCli(['run', '--sequence', 'test-pass', '--topology', 'none', '--db', db, '--junit', join(dir, 'no', 'such', 'dir', 'x.xml')]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--junit .*no directory/);
      expect(existsSync(join(dir, 'no'))).toBe(false);
    } finally {
      delete process.env.CXL_BENCH_SEQUENCE_MODULES;
    }
  });
});
