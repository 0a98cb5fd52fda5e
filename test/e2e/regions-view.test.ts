// Regions from the Topology view in Chromium against the real server: open xor2 live, create a pmem region,
// decode an HPA through it (window -> host bridge -> endpoint -> DPA), misprogram the host bridge's decoder in
// the register explorer's API and see the chain break there, show `cxl list`, tear down.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, ensureRendererBuilt, eventually, launchChromium, recordProblems, screenshot } from './harness.js';
import { startServerUnderTest, type ServerUnderTest } from './bench-server.js';

describe.skipIf(!chromiumAvailable())('UI: regions in the topology view', () => {
  let server: ServerUnderTest;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    ensureRendererBuilt();
    server = await startServerUnderTest();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(5000);
    problems = recordProblems(page);
    await page.goto(server.url);
    await page.locator('.conn-open').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('create a pmem region on xor2, decode an address, list, tear down', async () => {
    await page.keyboard.press('Alt+2');
    await page.getByLabel('Choose topology').selectOption('xor2');
    await page.getByRole('button', { name: 'Open live' }).click();
    await eventually(async () => expect(await page.getByRole('button', { name: 'Close live' }).count()).toBe(1));
    await page.getByLabel('Region mode').selectOption('pmem');
    await page.getByLabel('write labels (pmem)').check();
    await page.getByRole('button', { name: 'Create region' }).click();
    const made = page.getByLabel('Region created');
    await eventually(async () => expect(await made.textContent()).toMatch(/pmem region .* 4-way × 256 B \(CFMWS0, XOR, Linux 6\.12\)/));
    expect(await page.getByLabel('Region positions').locator('li').count()).toBe(4);
    const steps = page.getByLabel('Region steps');
    expect(await steps.textContent()).toContain('PASS memory test');
    await page.getByLabel('Host physical address').fill('0x1000000100');
    await page.getByRole('button', { name: 'Decode' }).click();
    const chain = page.getByLabel('Decode chain');
    await eventually(async () => expect(await chain.textContent()).toMatch(/window CFMWS0: 2-way XOR/));
    expect(await chain.textContent()).toMatch(/DPA hb\d\.rp\d\.ep0 0x/);
    await screenshot(page, 'regions-decode');
    await page.getByRole('button', { name: 'Read labels' }).click();
    await eventually(async () => expect(await page.getByLabel('LSA labels').textContent()).toMatch(/seq 1, v2\.1, 508 of 510 slots free, checksum ok \(current\)/));
    expect(await page.getByLabel('LSA labels').textContent()).toContain('"kind":"namespace"');
    await page.getByRole('button', { name: 'Show cxl list' }).click();
    await eventually(async () => expect(await page.getByLabel('cxl list JSON').textContent()).toContain('"regions:decoder0.0"'));
    await page.getByRole('button', { name: 'Tear down' }).click();
    await eventually(async () => expect(await steps.textContent()).toMatch(/PASS reset hb0 decoder 0/));
    await page.getByRole('button', { name: 'Decode' }).click();
    await eventually(async () => expect(await chain.textContent()).toMatch(/breaks at hb\d: no committed HDM decoder claims HPA/));
    expect(problems).toEqual([]);
  });
});
