// `npm start` on a machine without Electron's binary says so plainly and serves the UI on 127.0.0.1 with a
// one-time link; the page it serves carries the CSP and the API answers over the session-gated WebSocket
// (the link's code itself is no WebSocket credential).
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { signIn } from '../api/ws-test-client.js';
import { ensureRendererBuilt, repoRoot, resultsDir } from './harness.js';

function electronInstalled(): boolean {
  try {
    const p = createRequire(import.meta.url)('electron') as unknown;
    return typeof p === 'string' && existsSync(p);
  } catch {
    return false;
  }
}

describe('npm start without the Electron binary', () => {
  let child: ChildProcess | undefined;
  let dbDir: string | undefined;
  afterAll(() => {
    if (child?.pid && child.exitCode === null) child.kill('SIGTERM');
    if (dbDir) rmSync(dbDir, { recursive: true, force: true });
  });

  test('prints the fallback notice and a tokened URL that serves the UI and the API', async () => {
    ensureRendererBuilt();
    mkdirSync(resultsDir, { recursive: true });
    dbDir = mkdtempSync(join(resultsDir, 'start-db-'));
    const db = join(dbDir, 'bench.sqlite');
    const args = ['scripts/start.mjs', '--db', db, '--port', '0', ...(electronInstalled() ? ['--browser'] : [])];
    child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stderr!.on('data', (d) => (out += String(d)));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed:\n${out}`)), 20_000);
      child!.stdout!.on('data', (d) => {
        out += String(d);
        const m = /Open (http:\/\/127\.0\.0\.1:\d+\/\?token=\w+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    if (!electronInstalled()) {
      expect(out).toContain("Electron's desktop shell is not available on this machine (binary not installed); serving the same UI in your browser instead");
    }

    const cookie = await signIn(url);
    const u = new URL(url);
    const page = await fetch(`http://${u.host}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Content-Security-Policy');
    expect(html).not.toMatch(/unsafe-eval/);

    const ws = new WebSocket(`ws://${u.host}/api`, { headers: { cookie } });
    const reply = await new Promise<{ ok: boolean; result: { name: string } }>((resolve, reject) => {
      ws.on('error', reject);
      ws.on('open', () => ws.send(JSON.stringify({ id: 1, call: 'app.info', input: {} })));
      ws.on('message', (d) => resolve(JSON.parse(String(d)) as never));
    });
    ws.close();
    expect(reply.ok).toBe(true);
    expect(reply.result.name).toBe('cxl-bench');

    const bad = new WebSocket(`ws://${u.host}/api?token=${u.searchParams.get('token')}`);
    const refused = await new Promise<boolean>((resolve) => {
      bad.on('open', () => resolve(false));
      bad.on('error', () => resolve(true));
    });
    expect(refused).toBe(true);

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
