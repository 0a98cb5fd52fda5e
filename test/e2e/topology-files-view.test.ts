// Topology files in the topology view, end to end in Chromium against the real server: an endpoint switched to
// simulated rev-a silicon (loopback Etherbone) is saved with the topology (topologies.save), a pasted topology
// with a bad field lists that field, and a run started on the saved topology runs on the hardware it names.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { callApi } from '../../main/api/table.js';
import { defaultEndpointMap } from '../../main/links/device-maps.js';
import { startSim, type RunningSim } from '../../main/links/sim-server.js';
import { startServer } from '../../main/server/ws-server.js';
import { createServices, type Services } from '../../main/services/services.js';
import { chromiumAvailable, ensureRendererBuilt, eventually, launchChromium, recordProblems, rendererDir, resultsDir, screenshot } from './harness.js';

const EP = 'hb0.rp0.ep0';

describe.skipIf(!chromiumAvailable())('UI: saved topologies with hardware backends', () => {
  let dir = '';
  let services: Services;
  let server: { url: string; close(): Promise<void> };
  let sim: RunningSim;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    ensureRendererBuilt();
    mkdirSync(resultsDir, { recursive: true });
    dir = mkdtempSync(join(resultsDir, 'e2e-topo-'));
    services = await createServices({ dbPath: join(dir, 'bench.sqlite'), shell: 'browser' });
    server = await startServer({ services, host: '127.0.0.1', port: 0, staticDir: rendererDir });
    sim = await startSim({ kind: 'etherbone', profile: 'rev-a' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(5000);
    problems = recordProblems(page);
    await page.goto(server.url);
    await page.locator('.conn-open').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await sim?.close().catch(() => {});
    await server?.close();
    await services?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const log = () => page.locator('[aria-label="Live bench log"]');

  test('an endpoint switched to a link is saved with the topology as its backend', async () => {
    await page.keyboard.press('Alt+2');
    await eventually(async () => expect(await page.locator('#tab-topology').getAttribute('aria-selected')).toBe('true'));
    // Opening live creates the session runs need; close it again so the topology can be picked.
    await page.getByRole('button', { name: 'Open live' }).click();
    await page.getByRole('button', { name: 'Close live' }).click();
    await page.getByRole('button', { name: 'Open live' }).waitFor();
    await page.locator(`[role=treeitem][data-path="${EP}"]`).click();
    await page.getByLabel('hardware link').check();
    await page.getByLabel('Link URI').fill(sim.uri);
    await page.getByLabel('Save as').fill('rev-a-board');
    // A saved backend names its map: without one the save is refused; the simulator's map given inline.
    expect(await page.getByRole('button', { name: 'Save topology' }).isDisabled()).toBe(true);
    await page.getByLabel('Device map').fill(JSON.stringify(defaultEndpointMap()));
    await page.getByRole('button', { name: 'Save topology' }).click();
    await eventually(async () => expect(await log().textContent()).toContain('saved single with its backends as rev-a-board (1 hardware endpoint)'));
    const saved = await callApi(services, 'topologies.get', { name: 'rev-a-board' });
    expect(saved.backends).toEqual({ [EP]: { link: sim.uri, map: JSON.parse(JSON.stringify(defaultEndpointMap())) } });
    expect(await page.getByLabel('Choose topology').inputValue()).toBe('rev-a-board');
  });

  test('pasted topology JSON with a bad field lists that field and saves nothing', async () => {
    const bad = (await callApi(services, 'topologies.get', { name: 'single' })).json.replace('"256MiB"', '"lots"');
    await page.getByLabel('Save as').fill('broken');
    await page.getByLabel('Topology JSON').fill(bad);
    await page.getByRole('button', { name: 'Check and save JSON' }).click();
    const errors = page.getByRole('list', { name: 'Topology errors' });
    await eventually(async () => expect(await errors.textContent()).toContain('hostBridges[0].rootPorts[0].endpoint.capacity.volatile'));
    expect((await callApi(services, 'topologies.list', {})).map((t) => t.name)).not.toContain('broken');
    await screenshot(page, 'topology-file-errors');
  });

  test('a run on the saved topology uses the hardware its file names', async () => {
    await page.getByLabel('Choose topology').selectOption('single');
    await eventually(async () => expect(await page.locator(`[role=treeitem][data-path="${EP}"]`).textContent()).not.toContain(sim.uri));
    await page.getByLabel('Choose topology').selectOption('rev-a-board');
    await eventually(async () => expect(await page.locator(`[role=treeitem][data-path="${EP}"]`).textContent()).toContain(sim.uri));
    await page.getByLabel('Run sequence').selectOption('enumerate');
    await page.getByRole('button', { name: /Run with these backends/ }).click();
    await eventually(async () => expect(await log().textContent()).toMatch(new RegExp(`run #\\d+ started: \\S+ on rev-a-board with ${EP}=`)));
    const run = (await callApi(services, 'runs.list', {})).filter((r) => r.topology === 'rev-a-board').at(-1)!;
    expect(run.targets).toContain(`${EP}=${sim.uri}`);
    await services.runs.wait(run.id);
    const detail = await callApi(services, 'runs.get', { id: run.id });
    expect(detail.status, detail.summary ?? '').toBe('passed');
    expect(detail.topologyJson).toBe((await callApi(services, 'topologies.get', { name: 'rev-a-board' })).json);
    const rev = await callApi(services, 'trace.page', { runId: run.id, offset: 0, limit: 20, filter: { node: EP, op: 'R', text: 'Revision ID' } });
    expect(rev.rows.map((r) => r.fields).join(' ')).toMatch(/Revision ID=0xa\b/);
    await screenshot(page, 'topology-saved-run');
    expect(problems).toEqual([]);
  });
});
