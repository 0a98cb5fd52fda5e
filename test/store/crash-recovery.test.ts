import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { openStore } from '../../main/store/store.js';

const fixture = fileURLToPath(new URL('./fixtures/write-forever.ts', import.meta.url));
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('a run killed mid-write leaves an intact database, marked interrupted, with its committed events', async () => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-crash-'));
  const path = join(dir, 'bench.sqlite');
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  let lastCommitted = 0;
  let runId = 0;
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`writer exited early (${code})`)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const l of lines) {
        if (l.startsWith('run ')) runId = Number(l.slice(4));
        if (l.startsWith('committed ')) lastCommitted = Number(l.slice(10));
      }
      // Kill it in the middle of writing, after a few batches are known to be committed.
      if (lastCommitted >= 5 * 4096) {
        child.removeAllListeners('exit');
        child.kill('SIGKILL');
        child.on('exit', () => resolve());
      }
    });
  });

  const store = openStore(path);
  expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
  const run = store.runs.get(runId)!;
  expect(run.status).toBe('interrupted');
  expect(run.endedAt).not.toBeNull();
  // Everything acknowledged before the kill survived; the count matches the chunks actually stored.
  expect(run.eventCount).toBeGreaterThanOrEqual(lastCommitted);
  expect(store.chunks.committedEvents(runId)).toBe(run.eventCount);
  const last = store.traces.page(runId, run.eventCount, run.eventCount - 1, 10);
  expect(last.rows).toHaveLength(1);
  expect(last.rows[0].seq).toBe(run.eventCount - 1);
  expect(last.rows[0].value).toBe('0x' + (run.eventCount - 1).toString(16).padStart(8, '0'));
  store.close();
});
