// The kernel selector and the kernel matrix in Chromium: a run under Linux 6.1 names the version in every
// step; "all (matrix)" runs the sequence under every profile and shows step × version with the verdict line.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, ensureRendererBuilt, eventually, launchChromium, recordProblems } from './harness.js';
import { startServerUnderTest, type ServerUnderTest } from './bench-server.js';

describe.skipIf(!chromiumAvailable())('UI: kernel profiles', () => {
  let server: ServerUnderTest;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    ensureRendererBuilt();
    server = await startServerUnderTest();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    problems = recordProblems(page);
    await page.goto(server.url);
    await page.locator('.conn-open').waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a linux-probe run under Linux 6.1 names the version in its steps', async () => {
    await page.getByLabel('Sequence').selectOption('linux-probe');
    await page.getByLabel('Kernel').selectOption('6.1');
    await page.getByRole('button', { name: /Run/ }).click();
    await eventually(async () => expect(await page.getByText('[Linux 6.1]').first().isVisible()).toBe(true), 60_000);
  }, 90_000);

  test('"all (matrix)" shows step × version and the verdict line', async () => {
    await page.getByLabel('Kernel').selectOption('all');
    await page.getByRole('button', { name: /Run/ }).click();
    const table = page.getByRole('table', { name: 'Steps by kernel version' });
    await eventually(async () => expect(await table.isVisible()).toBe(true), 90_000);
    expect(await page.locator('.km-verdict').textContent()).toContain('probes on 6.1, 6.12, mainline');
    const headers = await table.locator('thead th').allTextContents();
    expect(headers).toEqual(['step', '6.1', '6.12', 'mainline']);
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(10);
    await page.getByLabel('Close the kernel matrix').click();
    expect(await table.count()).toBe(0);
    expect(problems).toEqual([]);
  }, 120_000);
});
