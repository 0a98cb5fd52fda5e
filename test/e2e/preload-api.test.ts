// Inside Electron the renderer must use the preload's `window.cxlBench` rather than a WebSocket of its own,
// and show API errors the bridge rejects with (plain { code, message, field } objects). A stand-in bridge
// with the preload's exact shape is injected before the page loads; it forwards to the mock server.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, ensureRendererBuilt, eventually, launchChromium, recordProblems, rendererDir } from './harness.js';
import { startMockServer, type MockServer } from './mock-bench-server.js';

describe.skipIf(!chromiumAvailable())('UI over the preload bridge', () => {
  let server: MockServer;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    ensureRendererBuilt();
    server = await startMockServer(rendererDir);
    server.seedRun(50, 'bench A');
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 820 } });
    problems = recordProblems(page);
    await page.addInitScript((wsUrl: string) => {
      const ws = new WebSocket(wsUrl);
      const ready = new Promise((r) => ws.addEventListener('open', r, { once: true }));
      const pending = new Map<number, { ok: (v: unknown) => void; fail: (e: unknown) => void }>();
      const listeners = new Set<(ev: unknown) => void>();
      let next = 1;
      const calls: string[] = [];
      ws.addEventListener('message', (m) => {
        const msg = JSON.parse(String(m.data));
        if (msg.event) return listeners.forEach((l) => l(msg.event));
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.ok) p?.ok(msg.result);
        else p?.fail({ name: 'ApiError', ...msg.error });
      });
      (window as unknown as { bridgeCalls: string[] }).bridgeCalls = calls;
      (window as unknown as { cxlBench: unknown }).cxlBench = {
        async call(name: string, input: unknown) {
          calls.push(name);
          if (name === 'sessions.delete') {
            throw { name: 'ApiError', code: 'conflict', message: 'a run of this session is in progress', field: 'id' };
          }
          await ready;
          const id = next++;
          return new Promise((ok, fail) => {
            pending.set(id, { ok, fail });
            ws.send(JSON.stringify({ id, call: name, input }));
          });
        },
        subscribe(l: (ev: unknown) => void) {
          listeners.add(l);
          return () => listeners.delete(l);
        },
      };
    }, `ws://${new URL(server.url).host}/api`);
    // Signed in by the launch link like any page (the cookie lets the injected bridge's socket in); the renderer
    // itself must still talk only through window.cxlBench.
    await page.goto(server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the page talks through window.cxlBench and says it runs in the Electron shell', async () => {
    await eventually(async () => expect(await page.locator('.conn').textContent()).toContain('electron · open'));
    await page.locator('[role=option]', { hasText: 'bench A' }).waitFor();
    await page.locator('.trace-row:not(.loading)').first().waitFor();
    const calls = await page.evaluate(() => (window as unknown as { bridgeCalls: string[] }).bridgeCalls);
    expect(calls).toContain('sessions.list');
    expect(calls).toContain('trace.page');
  });

  test('an error rejected by the bridge shows its code, message and field in the status bar', async () => {
    await page.keyboard.press('1');
    await page.keyboard.press('Delete');
    await page.keyboard.press('Enter');
    await eventually(async () =>
      expect(await page.locator('.statusbar .msg-error').textContent()).toBe(
        'delete session failed — conflict: a run of this session is in progress (id)',
      ),
    );
    expect(await page.locator('[role=option]', { hasText: 'bench A' }).count()).toBe(1);
  });

  test('no errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
