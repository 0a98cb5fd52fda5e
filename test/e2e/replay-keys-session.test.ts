// Replay, the key tables, live views following the session and the compare row cursor, end to end in Chromium
// against the real server: import the QEMU 7.2 SeaBIOS capture through the UI, find the replay key in the help
// and press it, replay with the qemu profile and land on the comparison (node map applied) with QEMU's
// divergences; walk the aligned rows with j/k and decode one with Enter without breaking n/p; then switch
// sessions with the Registers and Mailbox views open and see each reload for the session chosen.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, ensureRendererBuilt, eventually, launchChromium, recordProblems, repoRoot, screenshot } from './harness.js';
import { startServerUnderTest, type ServerUnderTest } from './bench-server.js';

describe.skipIf(!chromiumAvailable())('UI: replay a QEMU log, keys from one table, session-following live views', () => {
  let server: ServerUnderTest;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let importedRun = 0;

  beforeAll(async () => {
    ensureRendererBuilt();
    server = await startServerUnderTest();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 820 } });
    page.setDefaultTimeout(5000); // a missing element fails fast inside eventually()
    problems = recordProblems(page);
    await page.goto(server.url);
    await page.locator('.conn-open').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const newSession = async (name: string) => {
    const input = page.getByLabel('New session name');
    await eventually(async () => {
      if (!(await input.isVisible())) await page.keyboard.press('n');
      await input.waitFor({ state: 'visible', timeout: 500 });
    });
    await input.fill(name);
    await page.keyboard.press('Enter');
    await eventually(async () => expect(await page.getByLabel('Session', { exact: true }).locator('option:checked').textContent()).toBe(name));
  };

  /** The key the help lists for the first row whose description matches `what`, in the table of `view`. */
  const keyFromHelp = async (view: string, what: RegExp): Promise<string> => {
    const help = page.getByRole('dialog', { name: 'Keyboard' });
    await eventually(async () => {
      expect(await page.locator('dialog[open]').count()).toBe(0); // no other dialog holds the keys
      await page.keyboard.press('?');
      await help.waitFor({ state: 'visible', timeout: 500 });
    });
    const rows = await help.locator(`table[data-view="${view}"] tr`).evaluateAll((els) =>
      els.map((e) => ({ key: e.querySelector('kbd')?.textContent ?? '', text: e.children[1]?.textContent ?? '' })),
    );
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    const row = rows.find((r) => what.test(r.text));
    expect(row, `help row matching ${what} on ${view}`).toBeDefined();
    return row!.key;
  };

  test('the QEMU SeaBIOS capture imports through the UI as a run', async () => {
    await newSession('other bench');
    await newSession('qemu replay');
    await page.getByLabel('Trace file to import').setInputFiles(join(repoRoot, 'test', 'fixtures', 'qemu-7.2-seabios-cxl.log'));
    const result = page.getByTestId('transfer-result');
    await eventually(async () => expect(await result.textContent()).toMatch(/imported “qemu-7\.2-seabios-cxl\.log” as run #\d+ \([1-9][\d,]* events\)/));
    importedRun = Number(/run #(\d+)/.exec((await result.textContent())!)![1]);
    await eventually(async () => expect(await page.locator('[role=listbox][aria-label=Runs] [aria-selected=true]').textContent()).toContain(`#${importedRun}`));
  });

  test('the help and the footer list the replay key; pressing it opens the replay dialog for the selected run', async () => {
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard' }).waitFor({ state: 'visible' });
    await screenshot(page, 'keyboard-help-all-views');
    await page.keyboard.press('Escape');
    const key = await keyFromHelp('runs', /^replay/);
    expect(await page.getByTestId('footer-keys').textContent()).toContain(`${key} replay`);
    await page.keyboard.press(key === key.toUpperCase() && key !== key.toLowerCase() ? `Shift+${key}` : key);
    const dialog = page.getByRole('dialog', { name: /^Replay run #/ });
    await dialog.waitFor({ state: 'visible' });
    expect(await dialog.getByRole('heading').textContent()).toBe(`Replay run #${importedRun}`);
    // A QEMU capture defaults to the qemu profile.
    expect(await dialog.getByRole('radio', { name: /qemu/ }).isChecked()).toBe(true);
    await screenshot(page, 'replay-dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  test('Replay… with the qemu profile shows progress, then the comparison with QEMU\'s divergences and the node map', async () => {
    await page.getByRole('button', { name: /^Replay…/ }).click();
    const dialog = page.getByRole('dialog', { name: /^Replay run #/ });
    await dialog.waitFor({ state: 'visible' });
    await dialog.getByRole('radio', { name: /qemu/ }).check();
    // The replay may be quick: record whether the progress area ever appeared.
    await page.evaluate(() => {
      const w = window as unknown as { sawProgress: boolean };
      w.sawProgress = false;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid=replay-progress]')) w.sawProgress = true;
      }).observe(document.body, { subtree: true, childList: true });
    });
    await dialog.getByRole('button', { name: /Replay and compare/ }).click();
    await eventually(async () => expect(await page.locator('#tab-compare').getAttribute('aria-selected')).toBe('true'), 30_000);
    expect(await page.evaluate(() => (window as unknown as { sawProgress: boolean }).sawProgress)).toBe(true);
    await dialog.waitFor({ state: 'hidden' });

    const summary = page.getByTestId('compare-summary');
    await eventually(async () => expect(await summary.textContent()).toMatch(/\d+ divergent hunks?/), 10_000);
    expect(await page.getByLabel('Run A').inputValue()).toBe(String(importedRun));
    expect(Number(await page.getByLabel('Run B').inputValue())).toBeGreaterThan(importedRun);
    // QEMU's root port answers Revision ID 0 where our emulation has its own: a value divergence, decoded.
    expect(await page.locator('[aria-label="Per-register summary"] tbody').textContent()).toContain('Revision ID');
    expect(await page.getByTestId('node-map').textContent()).toMatch(/^node map (\S+→\S+|none needed)/);
    await eventually(async () => expect(await page.getByTestId('hunk-position').textContent()).toMatch(/^1 \/ \d+$/));
    await eventually(async () => expect(await page.locator('.cmp-row[data-divergent]').count()).toBeGreaterThan(0));
    await screenshot(page, 'replay-qemu-compare');
  });

  test('Compare: j/k move a row cursor, Enter decodes that row, n/p still step divergences', async () => {
    const down = await keyFromHelp('compare', /next aligned row/);
    const decode = await keyFromHelp('compare', /decode the cursor row/);
    expect(down.split(' / ')[0]).toBe('j');
    const position = page.getByTestId('hunk-position');
    const total = Number(/\/ (\d+)/.exec((await position.textContent())!)![1]);
    const cursorIndex = async () => Number(await page.locator('.cmp-row.cursor').getAttribute('aria-rowindex'));
    // n/p put the cursor on the hunk's first row.
    await page.keyboard.press('f');
    await eventually(async () => expect(await position.textContent()).toBe(`1 / ${total}`));
    const start = await cursorIndex();
    await page.keyboard.press('j');
    await eventually(async () => expect(await cursorIndex()).toBe(start + 1));
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('k');
    await eventually(async () => expect(await cursorIndex()).toBe(start + 1));
    // Walk down to an equal row and decode it.
    let row = page.locator('.cmp-row.cursor');
    for (let i = 0; i < 40 && (await row.getAttribute('data-divergent')) !== null; i++) {
      await page.keyboard.press('j');
      row = page.locator('.cmp-row.cursor');
    }
    expect(await row.getAttribute('data-divergent')).toBeNull();
    await page.keyboard.press(decode);
    const decoded = page.getByTestId('row-decode');
    await eventually(async () => expect(await decoded.textContent()).toContain(`row ${await cursorIndex()}`));
    expect(await page.getByTestId('divergence-detail').locator('.fd').count()).toBeGreaterThanOrEqual(1);
    await screenshot(page, 'compare-row-cursor');
    if (total > 1) {
      await page.keyboard.press('f');
      await page.keyboard.press('n');
      await eventually(async () => expect(await position.textContent()).toBe(`2 / ${total}`));
      await page.keyboard.press('p');
      await eventually(async () => expect(await position.textContent()).toBe(`1 / ${total}`));
    }
    // Enter on a divergent row makes its hunk current.
    await page.keyboard.press('n');
    await page.keyboard.press('p');
    await eventually(async () => expect(await page.locator('.cmp-row.cursor').getAttribute('data-divergent')).not.toBeNull());
    await page.keyboard.press(decode);
    await eventually(async () => expect(await page.getByTestId('divergence-detail').locator('.badge').first().textContent()).toMatch(/value|only-a|only-b|poll-count/));
  });

  test('Registers and Mailbox follow the session chosen in the top bar while they are open', async () => {
    await page.keyboard.press('Alt+3');
    await page.getByRole('button', { name: /^Open .* live$/ }).click();
    const blocks = page.locator('[role=listbox][aria-label="Register blocks"] [role=option]');
    await eventually(async () => expect(await blocks.count()).toBeGreaterThan(2), 10_000);
    const session = page.getByLabel('Session', { exact: true });
    await session.selectOption({ label: 'other bench' });
    await eventually(async () => expect(await blocks.count()).toBe(0));
    expect(await page.locator('#view-registers').textContent()).toContain('No live platform');
    expect(await page.locator('.statusbar .msg-error').count()).toBe(0);
    await session.selectOption({ label: 'qemu replay' });
    await eventually(async () => expect(await blocks.count()).toBeGreaterThan(2));

    await page.keyboard.press('Alt+4');
    await page.getByLabel('Search commands').fill('identify');
    await eventually(async () => expect(await page.locator('[aria-label="Mailbox commands"] [role=option]').count()).toBeGreaterThanOrEqual(1));
    await eventually(async () => expect(await page.getByLabel('Endpoint').isDisabled()).toBe(false));
    await page.getByLabel('Search commands').press('Enter');
    await page.keyboard.press('Control+Enter');
    await eventually(async () => expect(await page.getByTestId('mailbox-return').textContent()).toContain('Success'));
    const history = page.locator('[aria-label="Mailbox history"] .item');
    expect(await history.count()).toBe(1);
    await session.selectOption({ label: 'other bench' });
    await eventually(async () => expect(await history.count()).toBe(0));
    expect(await page.getByLabel('Endpoint').isDisabled()).toBe(true);
    // Nothing asked the server about the session left behind's platform.
    expect(await page.locator('.statusbar .msg-error').count()).toBe(0);
    await screenshot(page, 'mailbox-other-session');
    await session.selectOption({ label: 'qemu replay' });
    await eventually(async () => expect(await page.getByLabel('Endpoint').isDisabled()).toBe(false));
    expect(problems).toEqual([]);
  });
});
