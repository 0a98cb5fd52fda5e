// The Runs panel's "Run on QEMU + Linux…" end to end in Chromium against the real server: the doctor's findings,
// the command line shown before anything boots, one real boot of qemu-single (no region) with its stages as
// progress, the run's steps from the real driver, and its guest console in the Console… dialog.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, ensureRendererBuilt, eventually, launchChromium, recordProblems } from './harness.js';
import { startServerUnderTest, type ServerUnderTest } from './bench-server.js';

describe.skipIf(!chromiumAvailable() || process.env.CXL_BENCH_SKIP_QEMU === '1')('UI: Run on QEMU + Linux', () => {
  let server: ServerUnderTest;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    ensureRendererBuilt();
    server = await startServerUnderTest();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 820 } });
    page.setDefaultTimeout(5000);
    problems = recordProblems(page);
    await page.goto(server.url);
    await page.locator('.conn-open').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('doctor, command line, boot with progress, steps, console', async () => {
    const input = page.getByLabel('New session name');
    await eventually(async () => {
      if (!(await input.isVisible())) await page.keyboard.press('n');
      await input.waitFor({ state: 'visible', timeout: 500 });
    });
    await input.fill('qemu-ui');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Run on QEMU + Linux…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Run on QEMU + Linux' });
    await dialog.waitFor();
    await eventually(async () => expect(await dialog.getByLabel('What this machine has').textContent()).toMatch(/✓ qemu.*QEMU 7\.2/s));
    await dialog.getByLabel('QEMU topology').selectOption('qemu-single');
    await dialog.getByLabel('Region').selectOption('');
    await dialog.getByRole('button', { name: 'Show command line' }).click();
    await eventually(async () => expect(await dialog.getByTestId('qemu-cmdline').textContent()).toMatch(/-device cxl-type3,bus=hb0\.rp0,id=hb0\.rp0\.ep0/));
    await dialog.getByRole('button', { name: /Boot and probe/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    // The run is listed at once; its stages show as progress; it ends passed with the driver's steps.
    const item = page.locator('.run-item').first();
    await eventually(async () => expect(await item.textContent()).toMatch(/qemu-linux/));
    await eventually(async () => expect(await item.locator('.phase').textContent()).toMatch(/^\d+\/9 (initramfs|init|modules|probe|probed|list|dmesg|done|import)$/), 120_000);
    await eventually(async () => expect(await item.locator('.badge').textContent()).toBe('passed'), 240_000);
    const steps = page.getByRole('listbox', { name: /Steps/ });
    await eventually(async () => expect(await steps.textContent()).toMatch(/linux: probe hb0\.rp0\.ep0 \(mem0\)/));
    await page.getByRole('button', { name: 'Console…' }).click();
    const con = page.getByRole('dialog', { name: /Guest console/ });
    await con.waitFor();
    await eventually(async () => expect(await con.getByTestId('qemu-console').textContent()).toMatch(/@@CXLBENCH stage done/));
    await con.getByLabel('Filter console').fill('cxl_mem mem0: probe');
    await eventually(async () => expect(await con.getByTestId('qemu-console').textContent()).toMatch(/^\[\s*[\d.]+\] cxl_mem mem0: probe: 0$/));
    await page.keyboard.press('Escape');
    expect(problems).toEqual([]);
  }, 300_000);
});
