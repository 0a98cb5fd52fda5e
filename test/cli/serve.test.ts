import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signIn } from '../api/ws-test-client.js';
import { runCli } from './run-cli.js';

const BIN = fileURLToPath(new URL('../../bin/cxl-bench.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cxl-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('serve prints a 127.0.0.1 one-time link, answers API calls once signed in, and exits 0 on SIGTERM', async () => {
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
  expect(url.searchParams.get('token')).toMatch(/^[0-9a-f]{48}$/);

  const cookie = await signIn(url.href);
  const ws = new WebSocket(`ws://${url.host}/api`, { headers: { cookie } });
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

it('serve --host beyond loopback is a usage error unless --allow-remote, which warns', async () => {
  const refused = await runCli(['serve', '--host', '0.0.0.0', '--db', join(dir, 'c.sqlite')]);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toBe(
    'cxl-bench: serve: --host 0.0.0.0 is not a loopback address; add --allow-remote to serve other machines (read the README\'s "Serving beyond this machine" first)\n',
  );

  const child = spawn(process.execPath, [BIN, 'serve', '--host', '0.0.0.0', '--allow-remote', '--port', '0', '--db', join(dir, 'd.sqlite')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d));
  await new Promise<void>((resolve, reject) => {
    child.on('exit', (c) => reject(new Error(`serve exited ${c}: ${err}`)));
    child.stdout.on('data', (d: Buffer) => /http:\/\/127\.0\.0\.1:\d+\/\?token=/.test(String(d)) && resolve());
  });
  expect(err).toMatch(/WARNING: serving on 0\.0\.0\.0: anyone who can reach port \d+ may try to sign in, and HTTP is not encrypted/);
  child.removeAllListeners('exit');
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
});
