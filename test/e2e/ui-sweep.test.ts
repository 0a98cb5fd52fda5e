// The UI as a first-time user meets it (issue 15): one browser, one page, every block of every node of every
// built-in topology opened in the register explorer, and every view shown at 1440×900 and 1024×700. Any page
// error or console error fails the sweep, and so does a block that never renders its registers.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_TOPOLOGY_NAMES } from '../../emulator/topology/index.js';
import { VIEWS } from '../../renderer/src/lib/nav.js';
import { chromiumAvailable, ensureRendererBuilt, eventually, launchChromium, recordProblems, screenshot } from './harness.js';
import { startServerUnderTest, type ServerUnderTest } from './bench-server.js';

describe.skipIf(!chromiumAvailable())('UI sweep: every block, every view, two window sizes', () => {
  let server: ServerUnderTest;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    ensureRendererBuilt();
    server = await startServerUnderTest();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(5000);
    problems = recordProblems(page);
    await page.goto(server.url);
    await page.locator('.conn-open').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const show = async (view: string) => {
    await page.locator(`#tab-${view}`).click();
    await eventually(async () => expect(await page.locator(`#tab-${view}`).getAttribute('aria-selected')).toBe('true'));
  };

  async function openLive(topology: string): Promise<void> {
    await show('topology');
    const close = page.getByRole('button', { name: 'Close live' });
    if (await close.count()) {
      await close.click();
      await page.getByRole('button', { name: 'Open live' }).waitFor();
    }
    await page.getByLabel('Choose topology').selectOption(topology);
    await page.getByRole('button', { name: 'Open live' }).click();
    await page.getByRole('button', { name: 'Close live' }).waitFor();
  }

  for (const topology of DEFAULT_TOPOLOGY_NAMES) {
    test(`${topology}: every register block of every node renders`, { timeout: 240_000 }, async () => {
      await openLive(topology);
      await show('registers');
      const nodeSelect = page.getByLabel('Node', { exact: true });
      const nodes = await nodeSelect.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
      expect(nodes.length).toBeGreaterThan(0);
      const stuck: string[] = [];
      for (const node of nodes) {
        await nodeSelect.selectOption(node);
        const blocks = page.locator('[aria-label="Register blocks"] [role=option]');
        await eventually(async () => expect(await blocks.count()).toBeGreaterThan(0));
        const n = await blocks.count();
        for (let i = 0; i < n; i++) {
          const b = blocks.nth(i);
          const name = (await b.locator('.item-title').textContent()) ?? `#${i}`;
          await b.click();
          try {
            await eventually(async () => {
              expect(await page.locator('#regs-title .count').textContent()).toContain(name);
              expect(await page.locator('.reg-card').count()).toBeGreaterThan(0);
            }, 3000);
          } catch {
            stuck.push(`${node} · ${name}`);
            console.log('stuck', node, name);
          }
        }
      }
      expect(stuck).toEqual([]);
      expect(problems).toEqual([]);
    });
  }

  for (const size of [{ width: 1440, height: 900 }, { width: 1024, height: 700 }]) {
    test(`every view at ${size.width}×${size.height}: no page or console error, nothing pushed off-screen`, async () => {
      await page.setViewportSize(size);
      for (const v of VIEWS) {
        await show(v.id);
        await page.waitForTimeout(150);
        await screenshot(page, `sweep-${v.id}-${size.width}x${size.height}`);
        // Nothing in the top bar or the view may run past the window's right edge.
        const overflow = await page.evaluate(() => {
          const out: string[] = [];
          const w = document.documentElement.clientWidth;
          const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} “${(el.textContent ?? '').trim().slice(0, 24) || el.getAttribute('aria-label') || ''}”`;
          const clipper = (el: Element): Element | null => {
            for (let p = el.parentElement; p; p = p.parentElement) if (getComputedStyle(p).overflowX !== 'visible') return p;
            return null;
          };
          const controls = Array.from(document.querySelectorAll<HTMLElement>('.topbar button, .topbar select, [role=tabpanel]:not([style*="none"]) .pane-head button, [role=tabpanel]:not([style*="none"]) .pane-head select, [role=tabpanel]:not([style*="none"]) .pane-head input'));
          for (const el of controls) {
            const r = el.getBoundingClientRect();
            if (r.width === 0 || getComputedStyle(el).visibility === 'hidden') continue;
            if (r.right > w + 1) out.push(`${name(el)} ends at ${Math.round(r.right)} > window ${w}`);
            const c = clipper(el);
            if (c) {
              const cr = c.getBoundingClientRect();
              if (r.right > cr.right + 1 || r.bottom > cr.bottom + 1) out.push(`${name(el)} clipped by its container`);
            }
            if (el.tagName === 'BUTTON' && el.getAttribute('role') !== 'tab' && r.height > 28) out.push(`${name(el)} wraps (${Math.round(r.height)} px tall)`);
          }
          return out;
        });
        expect(overflow, v.id).toEqual([]);
      }
      expect(problems).toEqual([]);
    });
  }
});
