// The Lab view end to end (issue 17) in Chromium against the real server and a throwaway PostgreSQL: connect
// (the password never shows), publish the selected session with progress, filter runs by a board, pull two runs
// of two benches and compare them in the Compare view, and read one check's verdict history.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { LabConnection } from '../../main/lab/lab-connection.js';
import { publishSession } from '../../main/lab/publish.js';
import { openStore } from '../../main/store/store.js';
import { hasPg } from '../lab/lab-env.js';
import { recordLocalRun } from '../lab/local-runs.js';
import { startCluster, type PgCluster } from '../lab/pg-cluster.js';
import { startServerUnderTest, type ServerUnderTest } from './bench-server.js';
import { chromiumAvailable, ensureRendererBuilt, eventually, launchChromium, recordProblems, resultsDir, screenshot } from './harness.js';

describe.skipIf(!chromiumAvailable() || !hasPg)('UI: Lab view', () => {
  let cluster: PgCluster;
  let server: ServerUnderTest;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    ensureRendererBuilt();
    cluster = await startCluster();
    server = await startServerUnderTest();
    // This bench's session: one board run; another bench already published a run of a newer board revision.
    const local = openStore(server.dbPath, { recover: false });
    const sid = local.sessions.create('board bring-up').id;
    recordLocalRun(local, { sessionId: sid, events: 200_000, seed: 4, link: 'uartbone:/dev/ttyUSB0@115200', serial: '00000000000000a1', steps: [{ name: 'region commit', verdict: 'pass' }] });
    local.close();
    const other = openStore(join(resultsDir, `lab-e2e-other-${process.pid}.sqlite`));
    const osid = other.sessions.create('rev-b nightly').id;
    recordLocalRun(other, { sessionId: osid, events: 200_000, seed: 4, divergence: 0.002, link: 'uartbone:/dev/ttyUSB1@115200', serial: '00000000000000b2', steps: [{ name: 'region commit', verdict: 'fail', reason: 'HDM commit error' }] });
    const lab = new LabConnection(cluster.url());
    await publishSession(lab, other, osid, { bench: 'bench-b', identity: { revision: 'rev-b', gateware: '1234' } });
    await lab.close();
    other.close();

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
    cluster?.stop();
  });

  test('Alt+7 opens the Lab; connecting shows the lab without its password', async () => {
    await page.keyboard.press('Alt+7');
    await page.locator('#view-lab').waitFor();
    await expect(page.getByTestId('lab-status').textContent()).resolves.toContain('No lab configured');
    await page.getByLabel('Lab connection string').fill(cluster.url());
    await page.getByLabel('Bench name').fill('bench-a');
    await page.getByRole('button', { name: 'Connect' }).click();
    await eventually(async () => expect(await page.getByTestId('lab-status').textContent()).toMatch(/postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres · bench bench-a · schema 1/));
    expect(await page.content()).not.toContain(cluster.superPassword);
    await expect(page.getByLabel('Lab connection string').inputValue()).resolves.toBe('');
    await eventually(async () => expect(await page.locator('[aria-label="Lab runs"] tbody tr').count()).toBe(1));
  });

  test('publishes the selected session with progress; both benches and boards are listed', async () => {
    await page.getByLabel('Board revision override').fill('rev-a');
    await page.getByLabel('Gateware build override').fill('100');
    await page.getByRole('button', { name: /^Publish “board bring-up”/ }).click();
    await eventually(async () => expect(await page.locator('.statusbar').textContent()).toContain('published session #1: 1 new'));
    await eventually(async () => expect(await page.locator('[aria-label="Lab runs"] tbody tr').count()).toBe(2));
    expect(await page.locator('[aria-label="Lab benches"] li').allTextContents()).toEqual([expect.stringContaining('bench-a'), expect.stringContaining('bench-b')]);
    const boards = await page.locator('[aria-label="Lab boards"] tbody tr').allTextContents();
    expect(boards).toEqual([expect.stringMatching(/00000000000000a1\s*rev-a/), expect.stringMatching(/00000000000000b2\s*rev-b/)]);
    // A board filters the runs.
    await page.getByRole('button', { name: '00000000000000b2' }).click();
    await eventually(async () => expect(await page.locator('[aria-label="Lab runs"] tbody tr').allTextContents()).toEqual([expect.stringContaining('bench-b')]));
    await page.getByRole('button', { name: 'Clear filter' }).click();
    await eventually(async () => expect(await page.locator('[aria-label="Lab runs"] tbody tr').count()).toBe(2));
  });

  test('a run shows its devices and steps; its check\'s history says since when it fails', async () => {
    await page.getByRole('button', { name: 'Show lab run 1' }).click();
    await page.locator('[aria-label="Steps of the lab run"]').waitFor();
    expect(await page.locator('[aria-label="Devices of the lab run"]').textContent()).toContain('00000000000000b2');
    await page.getByRole('button', { name: 'History of region commit' }).click();
    await eventually(async () => expect(await page.getByTestId('lab-history-since').textContent()).toBe('region commit fails since rev-b build 1234 (fw fw-1.0)'));
    await screenshot(page, 'lab-view');
  });

  test('pull & compare two benches\' runs opens the comparison', async () => {
    await page.getByLabel('Pick lab run 1 to compare').check();
    await page.getByLabel('Pick lab run 2 to compare').check();
    await page.getByRole('button', { name: /Pull & compare \(2\/2\)/ }).click();
    await eventually(async () => expect(await page.locator('#tab-compare').getAttribute('aria-selected')).toBe('true'));
    await screenshot(page, 'lab-compare');
    expect(problems).toEqual([]);
  });
});
