// Issue 15's findings as a new user meets them, end to end in Chromium against the real services: the live
// console run is labelled and not auto-selected (9), imports show progress and are labelled (4, 15), runs can be
// deleted and sessions downloaded and uploaded (15), the theme follows the system (15), and a page whose server
// restarted says it is not signed in instead of looking empty (5).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { callApi } from '../../main/api/table.js';
import { createServices, type Services } from '../../main/services/services.js';
import { startServer, type RunningServer } from '../../main/server/ws-server.js';
import { chromiumAvailable, ensureRendererBuilt, eventually, launchChromium, recordProblems, rendererDir, resultsDir, screenshot } from './harness.js';

describe.skipIf(!chromiumAvailable())('UI findings (issue 15)', () => {
  let dir: string;
  let services: Services;
  let server: RunningServer;
  let port: number;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  const start = async (p = 0) => {
    server = await startServer({ services, host: '127.0.0.1', port: p, staticDir: rendererDir });
    port = server.port;
  };

  beforeAll(async () => {
    ensureRendererBuilt();
    mkdirSync(resultsDir, { recursive: true });
    dir = mkdtempSync(join(resultsDir, 'e2e-findings-'));
    services = await createServices({ dbPath: join(dir, 'bench.sqlite'), shell: 'browser' });
    await start();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    problems = recordProblems(page);
    await page.goto(server.newLaunchUrl());
    await page.locator('.conn-open').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await services?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const runItems = () => page.locator('[role=listbox][aria-label=Runs] [role=option]');

  test('Open live makes a console run labelled "live", not selected, not a run in progress (finding 9)', async () => {
    await page.keyboard.press('n');
    await page.getByLabel('New session name').fill('findings');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Alt+2');
    await page.getByRole('button', { name: 'Open live' }).click();
    await page.getByRole('button', { name: 'Close live' }).waitFor();
    await page.keyboard.press('Alt+1');
    await eventually(async () => expect(await runItems().count()).toBe(1));
    const item = runItems().first();
    expect(await item.locator('.badge').textContent()).toBe('live');
    expect(await item.getAttribute('aria-selected')).toBe('false');
    expect(await item.locator('.run-progress').count()).toBe(0); // no "starting…" bar, no Stop
    await screenshot(page, 'findings-live-console');
  });

  test('a CSV import shows upload and storing progress, then an "imported" run (findings 4, 15)', async () => {
    // 60,000 events, a few MB: the upload takes several chunks.
    const lines = ['seq,timeNs,kind,node,space,region,offset,width,op,value,status,record,register,fields'];
    for (let i = 0; i < 60_000; i++) lines.push(`${i},${i * 1000},access,hb0.rp0.ep0,cfg,cfg,0x${((i % 64) * 4).toString(16)},4,R,0x70031e98,ok,,,`);
    const file = join(dir, 'big.csv');
    writeFileSync(file, lines.join('\n') + '\n');
    await page.getByLabel('Trace file to import').setInputFiles(file);
    await page.getByTestId('transfer-progress').waitFor();
    const result = page.getByTestId('transfer-result');
    await eventually(async () => expect(await result.textContent()).toMatch(/imported “big\.csv” as run #\d+ \(60,000 events\)/), 60_000);
    const imported = runItems().filter({ hasText: 'import' }).first();
    expect(await imported.locator('.badge').textContent()).toBe('imported');
    expect(readFileSync(file).length).toBeGreaterThan(3_000_000);
  });

  test('Delete removes the selected run after asking (finding 15)', async () => {
    const before = await runItems().count();
    await runItems().filter({ hasText: 'import' }).first().click();
    await eventually(async () => expect(await page.locator('#steps-title').textContent()).toMatch(/run #\d+/));
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await eventually(async () => expect(await runItems().count()).toBe(before - 1));
  });

  test('the session downloads as a bench file and uploads back as a session (finding 15)', async () => {
    const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByRole('button', { name: 'Session', exact: true }).click()]);
    expect(dl.suggestedFilename()).toBe('findings.cxlbench.sqlite');
    const saved = join(dir, 'findings-copy.cxlbench.sqlite');
    await dl.saveAs(saved);
    await page.getByLabel('Bench file to import').setInputFiles(saved);
    await eventually(async () => expect(await page.getByTestId('transfer-result').textContent()).toMatch(/imported “findings” from “findings-copy\.cxlbench\.sqlite”/), 30_000);
    await eventually(async () => expect(await page.getByLabel('Session', { exact: true }).locator('option').count()).toBe(2));
  });

  test('the theme follows the system preference (finding 15)', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(dark).toBe('rgb(14, 17, 22)');
    expect(light).toBe('rgb(246, 247, 249)');
    await screenshot(page, 'findings-light-theme');
  });

  test('topology JSON saves under its own name with a message beside the box; without any name it says so (finding 14)', async () => {
    await page.keyboard.press('Alt+2');
    const json = JSON.parse((await callApi(services, 'topologies.get', { name: 'single' })).json) as Record<string, unknown>;
    await page.locator('#tf-json').fill(JSON.stringify({ ...json, name: 'pasted-one' }));
    await page.getByRole('button', { name: 'Check and save JSON' }).click();
    const result = page.getByTestId('topology-json-result');
    await eventually(async () => expect(await result.textContent()).toMatch(/checked and saved as “pasted-one”/));
    // The topology as a picture, with the HPA map: an address in the window lands on host bridge uid 0.
    expect(await page.getByRole('group', { name: /Topology diagram: \d+ nodes/ }).count()).toBe(1);
    await page.locator('#hpa-addr').fill('0x1000000100');
    await eventually(async () => expect(await page.getByTestId('hpa-landing').textContent()).toMatch(/CFMWS0 \+0x100, interleave target 0 = host bridge uid 0/));
    await screenshot(page, 'findings-topology-diagram');
    const { name: _drop, ...nameless } = json;
    void _drop;
    await page.locator('#tf-json').fill(JSON.stringify(nameless));
    await page.getByRole('button', { name: 'Check and save JSON' }).click();
    await eventually(async () => expect(await result.textContent()).toMatch(/give the topology a name/));
    expect(await result.getAttribute('role')).toBe('alert');
  });

  test('registers name their block ids; a wrong compare mask is refused by name; a field diff offers its mask (finding 7)', async () => {
    // The first 'findings' session (the upload made a second one and selected it) has the live bench open.
    const sessionId = Math.min(...(await callApi(services, 'sessions.list', {})).map((x) => x.id));
    await page.getByLabel('Session', { exact: true }).selectOption(String(sessionId));
    await page.keyboard.press('Alt+3');
    await eventually(async () => expect(await page.locator('[aria-label="Register blocks"]').textContent()).toContain('cxl-ras'));
    for (const sequence of ['linux-probe', 'enumerate']) {
      const r = await callApi(services, 'runs.start', { sessionId, topology: 'single', sequence });
      await services.runs.wait(r.id);
    }
    await page.keyboard.press('Alt+5');
    await page.getByRole('button', { name: '↻' }).click();
    await page.getByLabel('Masks').fill('nothing.here.at-all');
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await eventually(async () => expect(await page.getByTestId('compare-summary').textContent()).toMatch(/masks\.0: "nothing\.here\.at-all" matches no field/));
    await page.getByLabel('Masks').fill('');
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await eventually(async () => expect(await page.getByTestId('compare-counts').count()).toBe(1));
    // The divergence overview bar (issue 14's, shared with this finding): one mark per hunk.
    await eventually(async () => expect(await page.getByTestId('divergence-bar').locator('button').count()).toBeGreaterThan(0));
    expect(await page.getByRole('button', { name: 'Compare', exact: true }).textContent()).toBe('Compare'); // not "Comparing…"
  });

  test('the comparison on screen is there again after a reload; the saved list has no repeats (finding 13)', async () => {
    await page.getByRole('button', { name: 'Compare', exact: true }).click(); // the same comparison again
    await eventually(async () => expect(await page.getByTestId('compare-counts').count()).toBe(1));
    const counts = await page.getByTestId('compare-counts').textContent();
    await page.goto(server.newLaunchUrl());
    await page.locator('.conn-open').waitFor();
    await page.keyboard.press('Alt+5');
    try {
      await eventually(async () => expect(await page.getByTestId('compare-counts').textContent()).toBe(counts));
    } finally {
      await screenshot(page, 'findings-compare-after-reload');
    }
    const saved = await page.getByLabel('Saved comparisons').locator('option:not([disabled])').allTextContents();
    expect(new Set(saved).size).toBe(saved.length);
  });

  test('trace cells that do not fit have a tooltip; the detail line wraps (finding 10)', async () => {
    await page.keyboard.press('Alt+1');
    await page.locator('.trace-row:not(.loading)').first().waitFor();
    const reg = page.locator('.trace-row:not(.loading) .reg').first();
    expect(await reg.getAttribute('title')).toBe(await reg.textContent());
    expect(await page.locator('.trace-row:not(.loading) .fields').first().getAttribute('title')).not.toBeNull();
    expect(await page.locator('.trace-detail').evaluate((el) => getComputedStyle(el).flexWrap)).toBe('wrap');
  });

  test('mailbox commands with a declared input get a form; enums by name; history survives a reload (finding 16)', async () => {
    await page.keyboard.press('Alt+4');
    await page.getByLabel('Search commands').fill('get poison');
    await page.getByRole('option', { name: /Get Poison List/ }).waitFor();
    await page.getByLabel('Search commands').press('Enter');
    const dpa = page.getByLabel('DPA');
    await dpa.fill('0x1001');
    await eventually(async () => expect(await page.getByRole('list', { name: 'Input errors' }).textContent()).toContain('DPA: must be a multiple of 64'));
    expect(await page.getByRole('button', { name: /^Send/ }).isDisabled()).toBe(true);
    await dpa.fill('0x0');
    await page.getByLabel('Length').fill('16');
    expect(await page.getByLabel('Payload hex').inputValue()).toBe('00 00 00 00 00 00 00 00 10 00 00 00 00 00 00 00');
    await page.getByRole('button', { name: /^Send/ }).click();
    await eventually(async () => expect(await page.getByTestId('mailbox-return').textContent()).toContain('Success'));
    await page.getByLabel('Search commands').fill('get event records');
    await page.getByRole('option', { name: /Get Event Records/ }).waitFor();
    await page.getByLabel('Search commands').press('Enter');
    expect(await page.getByLabel('Event log').locator('option').allTextContents()).toEqual(['informational (0)', 'warning (1)', 'failure (2)', 'fatal (3)']);
    await screenshot(page, 'findings-mailbox-form');
    await page.reload();
    await page.locator('.conn-open').waitFor();
    await page.keyboard.press('Alt+4');
    await eventually(async () => expect(await page.getByRole('list', { name: 'Mailbox history' }).textContent()).toContain('Get Poison List'));
  });

  test('the timeline of a run: lanes per node and space, a click moves the trace table there, zoom keeps working', async () => {
    await page.keyboard.press('Alt+1');
    const probe = runItems().filter({ hasText: 'linux-probe' }).first();
    await probe.click();
    const plot = page.getByRole('slider', { name: /Timeline of run/ });
    await plot.waitFor();
    expect(await plot.getAttribute('aria-label')).toMatch(/\d+ lanes/);
    const box = (await plot.boundingBox())!;
    const before = await page.locator('.trace-row.selected [role=gridcell]').first().textContent();
    await page.mouse.click(box.x + box.width * 0.8, box.y + box.height / 2);
    await eventually(async () => expect(await page.locator('.trace-row.selected [role=gridcell]').first().textContent()).not.toBe(before));
    expect(Number(await page.locator('.trace-row.selected [role=gridcell]').first().textContent())).toBeGreaterThan(100);
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
    await page.mouse.wheel(0, -300);
    await eventually(async () => expect(await plot.getAttribute('aria-label')).not.toMatch(/– 0 ns$/));
    await screenshot(page, 'findings-timeline');
  });

  test('server gone: "disconnected"; back with a new secret: "not signed in", never an empty bench (finding 5)', async () => {
    await server.close();
    const banner = page.getByTestId('conn-banner');
    await eventually(async () => expect(await banner.textContent()).toMatch(/Disconnected from the bench server/), 20_000);
    await start(port); // the fixed-port case: same address, and this page's cookie is not valid there
    await eventually(async () => expect(await banner.textContent()).toMatch(/Not signed in.*new sign-in link/), 20_000);
    expect(await page.locator('.conn').textContent()).toContain('not signed in');
    await screenshot(page, 'findings-not-signed-in');
    // The refused socket and its probe are expected here; nothing else may have gone wrong.
    expect(problems.filter((p) => !/WebSocket|ERR_CONNECTION_REFUSED|401|api\/session/.test(p))).toEqual([]);
  });
});
