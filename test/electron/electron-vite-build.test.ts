// `electron-vite build` produces the three targets the desktop shell needs (the Electron binary itself cannot be
// run here). Built into a temporary directory so it does not race the renderer bundle the e2e tests use.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const out = mkdtempSync(join(tmpdir(), 'cxl-evb-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('electron-vite build', () => {
  it('builds main (with the run worker), a CommonJS sandboxed preload and the renderer with its CSP', () => {
    const r = spawnSync('npx', ['electron-vite', 'build', '--outDir', out], { encoding: 'utf8', timeout: 240_000 });
    expect(r.status, r.stderr || r.stdout).toBe(0);
    for (const f of ['main/index.js', 'main/run-worker.js', 'preload/index.cjs', 'renderer/index.html']) expect(existsSync(join(out, f)), f).toBe(true);
    const preload = readFileSync(join(out, 'preload/index.cjs'), 'utf8');
    expect(preload).toContain('exposeInMainWorld');
    expect(preload).toContain('cxlBench');
    expect(preload).not.toMatch(/^import /m); // a sandboxed preload must be CommonJS
    const html = readFileSync(join(out, 'renderer/index.html'), 'utf8');
    expect(html).toMatch(/Content-Security-Policy/);
    expect(html).not.toMatch(/unsafe-eval/);
    // The native modules stay external imports (electron-builder unpacks and rebuilds them), never bundled.
    const mainJs = readdirSync(join(out, 'main'), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(out, 'main', f), 'utf8'))
      .join('\n');
    expect(mainJs).toMatch(/from "better-sqlite3"|require\("better-sqlite3"\)/);
    expect(mainJs).not.toContain('function Database(filenameGiven'); // better-sqlite3's own source was not inlined
  }, 240_000);
});
