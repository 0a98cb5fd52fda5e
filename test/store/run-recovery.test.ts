import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openStore } from '../../main/store/store.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('opening the store interrupts only runs whose owning process is gone', () => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-recover-'));
  const path = join(dir, 'bench.sqlite');
  const first = openStore(path);
  const s = first.sessions.create('owners');
  const mine = first.runs.create({ sessionId: s.id, sequence: 'a', topology: 'none' });
  const dead = first.runs.create({ sessionId: s.id, sequence: 'b', topology: 'none' });
  const legacy = first.runs.create({ sessionId: s.id, sequence: 'c', topology: 'none' });
  const elsewhere = first.runs.create({ sessionId: s.id, sequence: 'd', topology: 'none' });
  const done = first.runs.create({ sessionId: s.id, sequence: 'e', topology: 'none' });
  first.runs.finish(done.id, 'passed', 'ok');
  // A process that has exited: its pid is free.
  const gonePid = spawnSync(process.execPath, ['-e', '0']).pid!;
  const setOwner = first.db.prepare('UPDATE runs SET owner_host = ?, owner_pid = ? WHERE id = ?');
  setOwner.run(hostname(), gonePid, dead.id);
  setOwner.run(null, null, legacy.id);
  setOwner.run('another-bench', process.pid, elsewhere.id);
  first.close();

  const again = openStore(path);
  const status = (id: number) => again.runs.get(id)!.status;
  expect(status(mine.id)).toBe('running'); // this process is alive
  expect(status(dead.id)).toBe('interrupted');
  expect(status(legacy.id)).toBe('interrupted');
  expect(status(elsewhere.id)).toBe('interrupted');
  expect(status(done.id)).toBe('passed');
  expect(again.runs.get(dead.id)!.summary).toMatch(/^interrupted/);
  again.close();
});
