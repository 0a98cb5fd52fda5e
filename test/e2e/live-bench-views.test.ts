// The live bench views end to end in Chromium against the real server: navigate by Alt+digit, open a topology
// live and read its tree, switch an endpoint to a hardware link for a run, inject faults, explore and write
// registers, and drive the mailbox console — by keyboard where users would, with a screenshot per view.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, ensureRendererBuilt, eventually, hasFocus, launchChromium, recordProblems, screenshot } from './harness.js';
import { startServerUnderTest, type ServerUnderTest } from './bench-server.js';

describe.skipIf(!chromiumAvailable())('UI: topology, registers, mailbox, faults', () => {
  let server: ServerUnderTest;
  let browser: Browser;
  let page: Page;
  let problems: string[];

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

  const treeRows = () => page.locator('[role=tree][aria-label="Topology tree"] [role=treeitem]');

  test('Alt+2 shows the topology view; switch4 previews as a tree with levels before it is opened', async () => {
    await page.keyboard.press('Alt+2');
    await eventually(async () => expect(await page.locator('#tab-topology').getAttribute('aria-selected')).toBe('true'));
    await page.getByLabel('Choose topology').selectOption('switch4');
    await eventually(async () => expect(await treeRows().count()).toBeGreaterThanOrEqual(7));
    const levels = await treeRows().evaluateAll((els) => els.map((e) => Number(e.getAttribute('aria-level'))));
    expect(Math.max(...levels)).toBe(5); // host bridge → root port → switch USP → DSP → endpoint
    expect(await page.locator('.v-pre').textContent()).toContain('switch4');
  });

  test('Open live enumerates the tree: endpoints get BDFs and a live link state', async () => {
    await page.getByRole('button', { name: 'Open live' }).click();
    await eventually(async () => expect(await page.getByRole('button', { name: 'Close live' }).count()).toBe(1));
    const endpoints = treeRows().filter({ hasText: 'Type 3' });
    expect(await endpoints.count()).toBe(4);
    for (const text of await endpoints.allTextContents()) {
      expect(text).toMatch(/[0-9a-f]{2}:[0-9a-f]{2}\.\d/); // BDF
      expect(text).toContain('emulated');
      expect(text).toContain('live');
    }
    await screenshot(page, 'topology-live');
  });

  test('j/k move in the tree; an endpoint switched to a link shows its URI and goes into runs.start targets', async () => {
    const tree = page.getByRole('tree', { name: 'Topology tree' });
    await tree.focus();
    await page.keyboard.press('G'); // last node: an endpoint
    const selected = page.locator('.tree-row.selected');
    await eventually(async () => expect(await selected.textContent()).toContain('Type 3'));
    const path = await selected.getAttribute('data-path');
    await page.getByLabel('hardware link').check();
    const uri = page.getByLabel('Link URI');
    await uri.fill('nonsense');
    await eventually(async () => expect(await page.locator('.v-error').first().textContent()).toMatch(/scheme/));
    expect(await page.getByRole('button', { name: /Run with these backends/ }).isDisabled()).toBe(true);
    await uri.fill('etherbone://127.0.0.1:9');
    await page.getByLabel('Device map').fill('board.csr.json');
    await eventually(async () => expect(await selected.textContent()).toContain('etherbone://127.0.0.1:9 (map board.csr.json)'));
    const log = page.locator('[aria-label="Live bench log"]');
    // A device map that does not exist: the run is refused, naming the endpoint's map.
    await page.getByRole('button', { name: /Run with these backends/ }).click();
    await eventually(async () => expect(await log.textContent()).toContain(`targets.${path}.map: cannot read device map board.csr.json`));
    // Without a map the run starts with the link as that endpoint's target (and fails: no board listens there).
    await page.getByLabel('Device map').fill('');
    await page.getByRole('button', { name: /Run with these backends/ }).click();
    await eventually(async () => expect(await log.textContent()).toContain(`with ${path}=etherbone://127.0.0.1:9`));
    await screenshot(page, 'topology-backend');
    await page.getByLabel('emulated').check();
    expect(await selected.textContent()).not.toContain('etherbone');
    expect(path).toMatch(/ep\d$/);
  });

  test('fault injection on an endpoint: poison, event, RAS and media each answer with their log line', async () => {
    await treeRows().filter({ hasText: 'Type 3' }).first().click();
    const result = page.getByTestId('inject-result');
    await page.getByLabel('Poison DPA').fill('0x2000');
    await page.getByLabel('Poison length').fill('128');
    await page.locator('form[aria-label="Inject poison"] button').click();
    await eventually(async () => expect(await result.textContent()).toMatch(/poisoned DPA 0x2000 \+128/));
    await page.getByLabel('Event log').selectOption('warning');
    await page.locator('form[aria-label="Inject event"] button').click();
    await eventually(async () => expect(await result.textContent()).toMatch(/warning/i));
    await page.getByLabel('RAS error kind').selectOption('uncorrectable');
    await page.getByLabel('RAS status bits').fill('0x4');
    await page.locator('form[aria-label="Inject RAS error"] button').click();
    await eventually(async () => expect(await result.textContent()).toMatch(/uncorrectable/i));
    await page.getByLabel('Media state', { exact: true }).selectOption('not-ready');
    await page.locator('form[aria-label="Set media state"] button').click();
    await eventually(async () => expect(await result.textContent()).toMatch(/not.ready/i));
    await page.getByLabel('Media state', { exact: true }).selectOption('ready');
    await page.locator('form[aria-label="Set media state"] button').click();
    await eventually(async () => expect(await result.textContent()).toMatch(/\bready/i));
    const log = page.locator('[aria-label="Live bench log"] li');
    expect(await log.count()).toBeGreaterThanOrEqual(6);
    await screenshot(page, 'fault-injection');
  });

  test('the view tabs are a tab list: arrows move the selection with the focus', async () => {
    await page.locator('#tab-topology').focus();
    await page.keyboard.press('ArrowRight');
    await eventually(async () => expect(await page.locator('#tab-registers').getAttribute('aria-selected')).toBe('true'));
    expect(await hasFocus(page.locator('#tab-registers'))).toBe(true);
    await page.keyboard.press('ArrowLeft');
    await eventually(async () => expect(await page.locator('#tab-topology').getAttribute('aria-selected')).toBe('true'));
    expect(await page.locator('#view-topology').count()).toBe(1);
  });

  test('Alt+3 register explorer: blocks of the endpoint, decoded fields, a RW write read back, r re-reads, x toggles radix', async () => {
    await page.keyboard.press('Alt+3');
    const blocks = page.locator('[role=listbox][aria-label="Register blocks"] [role=option]');
    await eventually(async () => expect(await blocks.count()).toBeGreaterThan(3));
    await blocks.filter({ hasText: 'HDM Decoder' }).first().click();
    const cards = page.locator('.reg-card');
    await eventually(async () => expect(await cards.count()).toBeGreaterThan(4));
    const baseLow = cards.filter({ hasText: 'Base Low' }).first();
    await baseLow.click();
    expect((await baseLow.locator('.acc').allTextContents()).some((a) => /^RW/.test(a))).toBe(true);
    const value = page.getByLabel('Register value');
    await value.fill('0x10000000');
    await page.keyboard.press('Enter');
    const result = page.getByTestId('reg-result');
    await eventually(async () => expect(await result.textContent()).toMatch(/wrote 0x10000000 .* read back 0x10000000/));
    await eventually(async () => expect(await baseLow.getByTestId('reg-value').textContent()).toBe('0x10000000'));

    await page.locator('[role=listbox][aria-label="Registers"]').focus();
    const before = await page.locator('.head-tools .mono[title="last read"]').textContent();
    await new Promise((r) => setTimeout(r, 20));
    await page.keyboard.press('r');
    await eventually(async () => expect(await page.locator('.head-tools .mono[title="last read"]').textContent()).not.toBe(before));
    await page.keyboard.press('x');
    await eventually(async () => expect(await baseLow.getByTestId('reg-value').textContent()).toBe(String(0x10000000)));
    await screenshot(page, 'register-explorer');
    await page.keyboard.press('x');
    await eventually(async () => expect(await baseLow.getByTestId('reg-value').textContent()).toBe('0x10000000'));
    // Live re-read: the block is read again every second without a key press.
    const readAt = page.locator('.head-tools .mono[title="last read"]');
    const t0 = await readAt.textContent();
    await page.getByLabel('Re-read every second').check();
    await eventually(async () => expect(await readAt.textContent()).not.toBe(t0));
    await page.getByLabel('Re-read every second').uncheck();
  });

  test('a writable field edits in place: the register value changes only in that field', async () => {
    const ctrl = page.locator('.reg-card').filter({ hasText: 'Control' }).first();
    const edit = ctrl.getByRole('button', { name: /^Edit / }).first();
    const name = ((await edit.getAttribute('aria-label')) ?? '').replace(/^Edit /, '');
    await edit.click();
    const input = page.getByLabel(`${name} value`);
    await eventually(async () => expect(await hasFocus(input)).toBe(true));
    await input.fill('1');
    await page.keyboard.press('Enter');
    await eventually(async () => expect(await page.getByTestId('reg-result').textContent()).toMatch(new RegExp(`field ${name}: wrote`)));
  });

  test('leaving the explorer and coming back keeps the node and block', async () => {
    await page.keyboard.press('Alt+2');
    await page.keyboard.press('Alt+3');
    await eventually(async () => expect(await page.locator('[aria-label="Register blocks"] [aria-selected=true]').textContent()).toContain('HDM Decoder'));
  });

  test('Alt+4 mailbox console: search, Enter, Ctrl+Enter sends Identify; return code, dump, decoded fields, history', async () => {
    await page.keyboard.press('Alt+4');
    const search = page.getByLabel('Search commands');
    await search.fill('identify');
    await eventually(async () => expect(await page.locator('[aria-label="Mailbox commands"] [role=option]').count()).toBeGreaterThanOrEqual(1));
    await search.press('Enter');
    await eventually(async () => expect(await hasFocus(page.getByLabel('Payload hex'))).toBe(true));
    await page.keyboard.press('Control+Enter');
    const ret = page.getByTestId('mailbox-return');
    await eventually(async () => expect(await ret.textContent()).toContain('Success'));
    expect(await page.locator('table.dump').textContent()).toContain('CXLBENCH');
    expect(await page.locator('[aria-label="Decoded output"]').textContent()).toMatch(/totalBytes\s*536870912/);
  });

  test('Get Poison List lists the injected poison; a short payload gets the spec return code; both in history', async () => {
    await page.getByLabel('Search commands').fill('0x4300');
    await page.getByLabel('Search commands').press('Enter');
    const payload = page.getByLabel('Payload hex');
    await payload.fill('00 00 00 00 00 00 00 00  00 01 00 00 00 00 00 00');
    expect(await page.getByTestId('payload-length').textContent()).toBe('16 bytes');
    await page.keyboard.press('Control+Enter');
    const ret = page.getByTestId('mailbox-return');
    await eventually(async () => expect(await ret.textContent()).toContain('Success'));
    expect(await page.locator('[aria-label="Decoded output"]').textContent()).toMatch(/0x2000|8192/);
    await screenshot(page, 'mailbox-console');

    await payload.fill('00 00 0');
    expect(await page.locator('#view-mailbox .v-error').textContent()).toMatch(/column \d+/);
    await payload.fill('00 00 00');
    await page.keyboard.press('Control+Enter');
    await eventually(async () => expect(await ret.textContent()).toMatch(/Invalid Payload Length|Invalid Input/));
    const history = page.locator('[aria-label="Mailbox history"] .item');
    expect(await history.count()).toBe(3);
    await history.nth(2).getByRole('button').click();
    await eventually(async () => expect(await ret.textContent()).toContain('Success'));
    expect(problems).toEqual([]);
  });
});
