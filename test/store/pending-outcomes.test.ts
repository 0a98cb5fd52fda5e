// Issue 16: a run whose outcome the store refused keeps it beside the database (pending-outcomes.ts), and
// the next open writes it instead of "the process stopped"; `runs list` shows a crashed run as interrupted
// (or with its kept outcome) without writing anything; names and summaries reach the terminal escaped.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { outcomesPath, savePendingOutcome } from '../../main/store/pending-outcomes.js';
import { openStore } from '../../main/store/store.js';
import { runCli } from '../cli/run-cli.js';

let dir = '';
let path = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-outcomes-'));
  path = join(dir, 'bench.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Two runs left 'running' by a process that has exited; returns their ids. */
function crashedRuns(summaries: [string, string] = ['a', 'b']): [number, number] {
  const store = openStore(path);
  const s = store.sessions.create('crashed');
  const ids = summaries.map((seq) => store.runs.create({ sessionId: s.id, sequence: seq, topology: 'none' }).id) as [number, number];
  const gonePid = spawnSync(process.execPath, ['-e', '0']).pid!;
  store.db.prepare('UPDATE runs SET owner_host = ?, owner_pid = ?').run(hostname(), gonePid);
  store.close();
  return ids;
}

it('the next open writes the outcome a process kept beside the database, then removes the file', () => {
  const [kept, plain] = crashedRuns();
  savePendingOutcome(path, { runId: kept, status: 'error', summary: 'error: the database disk is full (SQLITE_FULL)', endedAt: '2026-01-01T00:00:00.000Z' });
  const store = openStore(path);
  expect(store.runs.get(kept)).toMatchObject({ status: 'error', summary: 'error: the database disk is full (SQLITE_FULL)', endedAt: '2026-01-01T00:00:00.000Z' });
  expect(store.runs.get(plain)).toMatchObject({ status: 'interrupted', summary: 'interrupted: the process running it stopped' });
  expect(existsSync(outcomesPath(path))).toBe(false);
  store.close();
});

it('runs list shows crashed runs as interrupted, or with their kept outcome, and writes nothing', async () => {
  const [kept, plain] = crashedRuns();
  savePendingOutcome(path, { runId: kept, status: 'error', summary: 'error: disk full', endedAt: '2026-01-01T00:00:00.000Z' });
  const r = await runCli(['runs', 'list', '--json', '--db', path]);
  expect(r.code).toBe(0);
  const runs = JSON.parse(r.stdout) as { id: number; status: string; summary: string }[];
  expect(runs.find((x) => x.id === kept)).toMatchObject({ status: 'error', summary: 'error: disk full' });
  expect(runs.find((x) => x.id === plain)).toMatchObject({ status: 'interrupted', summary: 'interrupted: the process running it stopped' });
  const text = await runCli(['runs', 'list', '--db', path]);
  expect(text.stdout).toMatch(/^\s+2\s+1\s+interrupted\s+b\s/m);
  // Reading only: the rows and the kept outcome are as they were.
  const store = openStore(path, { recover: false, migrate: false, readonly: true });
  expect(store.runs.list().map((x) => x.status)).toEqual(['running', 'running']);
  store.close();
  expect(existsSync(outcomesPath(path))).toBe(true);
});

it('control characters in names and summaries reach the terminal escaped, and --json still parses to the original', async () => {
  const store = openStore(path);
  const s = store.sessions.create('s');
  const evil = 'seq\u001b[2J\u001b]0;pwned\u0007\u009b31m\u202eend';
  const run = store.runs.create({ sessionId: s.id, sequence: evil, topology: 'none' });
  store.runs.finish(run.id, 'passed', `summary \r\u001b[1A${evil}`);
  store.close();
  const text = await runCli(['runs', 'list', '--db', path]);
  expect(text.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  expect(text.stdout).toContain('seq\\u001b[2J\\u001b]0;pwned\\u0007\\u009b31m\\u202eend');
  expect(text.stdout).toContain('summary \\u000d\\u001b[1A');
  const json = await runCli(['runs', 'list', '--json', '--db', path]);
  expect(json.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  expect((JSON.parse(json.stdout) as { sequence: string }[])[0].sequence).toBe(evil);
  const missing = await runCli(['runs', 'list', '--db', join(dir, 'no\u001b[31mdb')]);
  expect(missing.stderr).toBe('cxl-bench: runs list: no database at ' + join(dir, 'no\\u001b[31mdb') + '\n');
});
