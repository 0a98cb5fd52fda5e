// Shared set-up for the end-to-end tests: a built renderer, Debian's Chromium through playwright-core, and a
// record of every console error / CSP violation / uncaught exception a page produced.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** The built renderer; CXL_BENCH_E2E_RENDERER points the tests at another (already built) bundle. */
export const rendererDir = process.env.CXL_BENCH_E2E_RENDERER ?? join(repoRoot, 'out', 'renderer');
export const resultsDir = join(repoRoot, 'test-results');
// A fresh clone has no test-results/ yet, and test files make temp dirs inside it at load time.
mkdirSync(resultsDir, { recursive: true });
export const CHROMIUM = process.env.CXL_BENCH_CHROMIUM ?? '/usr/bin/chromium';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function rendererFresh(): boolean {
  const index = join(rendererDir, 'index.html');
  return (
    existsSync(index) &&
    statSync(index).mtimeMs >=
      Math.max(newestMtime(join(repoRoot, 'renderer', 'src')), statSync(join(repoRoot, 'renderer', 'index.html')).mtimeMs)
  );
}

/**
 * Build out/renderer unless it exists and is newer than every renderer source (scripts/test.mjs builds first).
 * Test files run in parallel workers, so one builds under a lock directory while the others wait for it.
 */
export function ensureRendererBuilt(): void {
  if (process.env.CXL_BENCH_E2E_RENDERER || rendererFresh()) return;
  mkdirSync(join(repoRoot, 'out'), { recursive: true });
  const lock = join(repoRoot, 'out', '.renderer-build.lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`renderer build lock ${lock} held for 2 minutes`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (rendererFresh()) return; // another worker built it while we waited
    const r = spawnSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
      cwd: repoRoot,
      stdio: 'inherit',
    });
    if (r.status !== 0) throw new Error('renderer build failed');
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic',
    ],
  });
}

/** Console errors, CSP violations and page exceptions seen on `page`, for a test to assert empty. */
export function recordProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`http ${r.status()}: ${r.url()}`);
  });
  return problems;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(resultsDir, { recursive: true });
  await page.screenshot({ path: join(resultsDir, `${name}.png`) });
}

/** Retry `check` (which throws while the page is not there yet) until it passes or `timeoutMs` elapses. */
/** Default wait for a page to get there: generous, since CI runs Chromium beside two test workers on 2 cores. */
export const WAIT_MS = Number(process.env.CXL_BENCH_E2E_WAIT_MS ?? 20_000);

export async function eventually(check: () => Promise<void> | void, timeoutMs = WAIT_MS): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Whether the element matched by `selector`-located handle has keyboard focus. */
export async function hasFocus(locator: { evaluate<R>(fn: (el: Element) => R): Promise<R> }): Promise<boolean> {
  return locator.evaluate((el) => el === document.activeElement);
}
