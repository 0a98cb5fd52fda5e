// The first screen end to end in Chromium: create a session, start a run and watch its progress, see steps
// and trace rows, filter the trace, rename and delete the session — by keyboard, with mouse where users click.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  chromiumAvailable,
  ensureRendererBuilt,
  eventually,
  hasFocus,
  launchChromium,
  recordProblems,
  screenshot,
} from './harness.js';
import { startServerUnderTest, type ServerUnderTest } from './bench-server.js';

describe.skipIf(!chromiumAvailable())('UI: session → run → trace', () => {
  let server: ServerUnderTest;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    ensureRendererBuilt();
    server = await startServerUnderTest();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 820 } });
    problems = recordProblems(page);
    await page.goto(server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const sessionItems = () => page.locator('[role=listbox][aria-label=Sessions] [role=option]');
  const sessionNamed = (name: string) => sessionItems().filter({ hasText: name });

  test('n creates a session from the keyboard and selects it', async () => {
    await page.locator('.conn-open').waitFor();
    await page.keyboard.press('n');
    const input = page.getByLabel('New session name');
    await eventually(async () => expect(await hasFocus(input)).toBe(true));
    await input.fill('board rev A');
    await page.keyboard.press('Enter');
    await eventually(async () => expect(await sessionNamed('board rev A').getAttribute('aria-selected')).toBe('true'));
  });

  test('r starts a run: a live progress bar, then a final status, steps with verdicts and trace rows', async () => {
    // Emulated runs can finish in well under a second, so record every progress bar the page ever shows.
    await page.evaluate(() => {
      const seen: { now: number; max: number }[] = [];
      (window as unknown as { progressSeen: typeof seen }).progressSeen = seen;
      new MutationObserver(() => {
        for (const el of Array.from(document.querySelectorAll('[role=progressbar]'))) {
          seen.push({ now: Number(el.getAttribute('aria-valuenow')), max: Number(el.getAttribute('aria-valuemax')) });
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    const sequence = page.getByLabel('Sequence');
    await sequence.selectOption('linux-probe');
    await sequence.evaluate((el) => (el as HTMLElement).blur());
    await page.keyboard.press('r');
    const runItem = page.locator('[role=listbox][aria-label=Runs] [role=option]').first();
    await runItem.waitFor();
    if ((await runItem.getByRole('progressbar').count()) > 0) await screenshot(page, 'run-in-progress');
    await eventually(async () => expect(await runItem.locator('.badge').textContent()).toMatch(/passed|failed|error/), 30_000);
    expect(await runItem.getByRole('progressbar').count()).toBe(0);
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: { now: number; max: number }[] }).progressSeen);
    expect(seen.some((p) => p.max > 0)).toBe(true); // a run.progress event reached the bar
    expect(await runItem.textContent()).toMatch(/✓\d+/);

    const steps = page.locator('.steps-list [role=option]');
    await steps.first().waitFor();
    expect(await steps.first().locator('.badge').textContent()).toMatch(/^(pass|warn|fail|info)$/);

    const rows = page.locator('.trace-row:not(.loading)');
    await rows.first().waitFor();
    const cells = await rows.first().locator('[role=gridcell]').allTextContents();
    expect(cells).toHaveLength(12);
    expect(cells[0]).toMatch(/^\d+$/); // seq
    expect(cells[2]).toMatch(/\S/); // node
    await screenshot(page, 'run-finished');
  });

  test('a finished run shows decoded register names in its trace', async () => {
    const regs = page.locator('.trace-row.kind-access .reg');
    await eventually(async () => expect((await regs.allTextContents()).filter((t) => t.trim() !== '').length).toBeGreaterThan(0));
  });

  test('Enter on a step scrolls the trace to the event where the step was recorded', async () => {
    await page.keyboard.press('2');
    await page.keyboard.press('Enter'); // runs -> steps
    await eventually(async () => expect(await hasFocus(page.locator('.steps-list'))).toBe(true));
    await page.keyboard.press('G'); // last step: recorded at the end of the trace
    await page.keyboard.press('Enter');
    await eventually(async () => {
      const seq = Number(await page.locator('.trace-row.selected [role=gridcell]').first().textContent());
      expect(seq).toBeGreaterThan(100);
    });
    await screenshot(page, 'step-jump');
  });

  test('/ focuses the filter; op:W leaves only writes; Escape clears it', async () => {
    await page.keyboard.press('/');
    const filter = page.getByLabel('Trace filter');
    await eventually(async () => expect(await hasFocus(filter)).toBe(true));
    await filter.fill('op:W');
    await page.keyboard.press('Enter');
    const ops = page.locator('.trace-row:not(.loading) .op');
    await eventually(async () => {
      const all = await ops.allTextContents();
      expect(all.length).toBeGreaterThan(0);
      expect(new Set(all)).toEqual(new Set(['W']));
    });
    await screenshot(page, 'trace-filtered');
    await filter.focus();
    await page.keyboard.press('Escape');
    expect(await filter.inputValue()).toBe('');
    await eventually(async () => expect(await ops.allTextContents()).toContain('R'));
    await page.keyboard.press('Escape'); // a second Escape on an empty filter returns to the rows
    await eventually(async () => expect(await hasFocus(page.locator('.trace-viewport'))).toBe(true));
  });

  test('j/k move in the trace and the detail line follows', async () => {
    await page.keyboard.press('3');
    await eventually(async () => expect(await hasFocus(page.locator('.trace-viewport'))).toBe(true));
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    const selected = page.locator('.trace-row.selected');
    await eventually(async () => expect(await selected.getAttribute('aria-rowindex')).toBe('3'));
    await page.keyboard.press('k');
    await eventually(async () => expect(await selected.getAttribute('aria-rowindex')).toBe('2'));
    const seq = await selected.locator('[role=gridcell]').first().textContent();
    expect(await page.locator('.trace-detail').textContent()).toContain(`#${seq}`);
  });

  test('F2 renames the selected session inline; Escape cancels an edit', async () => {
    await page.keyboard.press('1');
    await eventually(async () => expect(await hasFocus(page.getByRole('listbox', { name: 'Sessions' }))).toBe(true));
    await page.keyboard.press('F2');
    const edit = page.getByLabel('Session name', { exact: true });
    await eventually(async () => expect(await hasFocus(edit)).toBe(true));
    await edit.fill('discarded name');
    await page.keyboard.press('Escape');
    await eventually(async () => expect(await sessionNamed('board rev A').count()).toBe(1));
    expect(await sessionNamed('discarded name').count()).toBe(0);

    await page.keyboard.press('F2');
    await page.getByLabel('Session name', { exact: true }).fill('board rev B');
    await page.keyboard.press('Enter');
    await eventually(async () => expect(await sessionNamed('board rev B').count()).toBe(1));
    expect(await sessionNamed('board rev A').count()).toBe(0);
  });

  test('? shows the keyboard help; Escape closes it', async () => {
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard' });
    await help.waitFor({ state: 'visible' });
    await screenshot(page, 'keyboard-help');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
  });

  test('Delete asks first: Escape keeps the session, Enter deletes it', async () => {
    await page.keyboard.press('1');
    await page.keyboard.press('Delete');
    const dialog = page.getByRole('dialog', { name: 'Delete session?' });
    await dialog.waitFor({ state: 'visible' });
    expect(await dialog.textContent()).toContain('board rev B');
    await screenshot(page, 'delete-confirm');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await sessionNamed('board rev B').count()).toBe(1);

    await page.keyboard.press('Delete');
    await dialog.waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await eventually(async () => expect(await sessionNamed('board rev B').count()).toBe(0));
  });

  test('the page logged no errors and no CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
