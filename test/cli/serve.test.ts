import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import WebSocket from 'ws';

const BIN = fileURLToPath(new URL('../../bin/cxl-bench.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cxl-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('serve prints a 127.0.0.1 URL with its token, answers API calls over it, and exits 0 on SIGTERM', async () => {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', join(dir, 'b.sqlite')], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<URL>((resolve, reject) => {
    let out = '';
    child.on('exit', (c) => reject(new Error(`serve exited ${c}`)));
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      const m = /http:\/\/\S+/.exec(out);
      if (m) resolve(new URL(m[0]));
    });
  });
  expect(url.hostname).toBe('127.0.0.1');
  const token = url.searchParams.get('token')!;
  expect(token).toMatch(/^[0-9a-f]{48}$/);

  const ws = new WebSocket(`ws://${url.host}/api?token=${token}`);
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  const answer = new Promise<any>((r) => ws.once('message', (d) => r(JSON.parse(d.toString()))));
  ws.send(JSON.stringify({ id: 1, call: 'app.info', input: {} }));
  expect(await answer).toMatchObject({ id: 1, ok: true, result: { name: 'cxl-bench', shell: 'browser' } });
  ws.close();

  const code = await new Promise<number | null>((r) => {
    child.removeAllListeners('exit');
    child.once('exit', (c) => r(c));
    child.kill('SIGTERM');
  });
  expect(code).toBe(0);
});
