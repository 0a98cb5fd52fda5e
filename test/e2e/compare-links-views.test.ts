// Trace export/import, the side-by-side compare and the links screen end to end in Chromium against the real
// server: run linux-probe, export it as JSON lines, edit the export the way a different device would answer
// (two changed values, one missing access), import it back, compare the two runs and walk the divergences;
// then run enumerate on an endpoint served by simulated rev-a silicon over Etherbone and compare it with the
// emulated device; list serial ports and test a link that answers and one that is not there.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, ensureRendererBuilt, eventually, launchChromium, recordProblems, repoRoot, resultsDir, screenshot } from './harness.js';
import { startServerUnderTest, type ServerUnderTest } from './bench-server.js';
import { VirtualClock } from '../../common/clock.js';
import { createType3, defaultType3Config } from '../../emulator/type3/index.js';
import { DEFAULT_BRIDGE_MAP } from '../../hil/hardware-target.js';
import { startEtherboneSim, type EtherboneSim } from '../../hil/sim/etherbone-sim.js';

interface JsonlEvent {
  seq: number;
  kind: string;
  op: string;
  value: string;
  width: number;
  register: string;
  fields: string;
}

describe.skipIf(!chromiumAvailable())('UI: trace export/import, compare, links', () => {
  let server: ServerUnderTest;
  let sim: EtherboneSim;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let exportPath = '';
  const edited: { changed: number[]; removed: number } = { changed: [], removed: -1 };
  let emulatedRun = 0;
  let siliconRun = 0;
  const dir = mkdtempSync(join(resultsDir, 'e2e-files-'));

  beforeAll(async () => {
    ensureRendererBuilt();
    server = await startServerUnderTest();
    // Simulated silicon (hil/sim): an emulated Type 3 with the rev-a profile's documented deviations.
    sim = await startEtherboneSim({ model: createType3(defaultType3Config(), new VirtualClock()).fn, map: DEFAULT_BRIDGE_MAP, profile: 'rev-a' });
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
    await sim?.close();
  });

  const runItems = () => page.locator('[role=listbox][aria-label=Runs] [role=option]');

  test('a finished run exports as JSON lines from the runs view; the file holds every event', async () => {
    await page.keyboard.press('n');
    await page.getByLabel('New session name').fill('compare bench');
    await page.keyboard.press('Enter');
    await page.getByLabel('Sequence').selectOption('linux-probe');
    await page.getByLabel('Sequence').evaluate((el) => (el as HTMLElement).blur());
    await page.keyboard.press('r');
    await eventually(async () => expect(await runItems().first().locator('.badge').textContent()).toMatch(/passed|failed/), 30_000);
    // Exports are browser downloads named for the run (issue 15, finding 11), read back from the server in chunks.
    const save = async (label: string): Promise<string> => {
      const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByRole('button', { name: label, exact: true }).click()]);
      expect(dl.suggestedFilename()).toMatch(new RegExp(`^run-\\d+-linux-probe\\.${label.toLowerCase()}$`));
      const path = join(dir, dl.suggestedFilename());
      await dl.saveAs(path);
      return path;
    };
    exportPath = await save('JSONL');
    const result = page.getByTestId('transfer-result');
    await eventually(async () => expect(await result.textContent()).toMatch(/saved run-\d+-linux-probe\.jsonl \(/));
    for (const f of ['CSV', 'VCD']) expect(readFileSync(await save(f), 'utf8').length).toBeGreaterThan(1000);
    const lines = readFileSync(exportPath, 'utf8').split('\n').filter(Boolean);
    const events = Number(/([\d,]+) ev/.exec((await runItems().first().textContent())!)![1]!.replace(/,/g, ''));
    expect(lines).toHaveLength(events);
    await screenshot(page, 'trace-export');
  });

  test('a malformed import is refused with its line number and adds no run', async () => {
    const before = await runItems().count();
    const bad = join(dir, 'bad.jsonl');
    const good = readFileSync(exportPath, 'utf8').split('\n').slice(0, 3);
    writeFileSync(bad, [...good, '{"seq": 3, "kind": "access", "op": "R"', ''].join('\n'));
    await page.getByLabel('Trace file to import').setInputFiles(bad);
    const result = page.getByTestId('transfer-result');
    await eventually(async () => expect(await result.textContent()).toMatch(/import of “bad\.jsonl” failed — bad-input: .*line 4/));
    expect(await result.getAttribute('role')).toBe('alert');
    expect(await runItems().count()).toBe(before);
    await screenshot(page, 'trace-import-error');
  });

  test('an edited export imports as a new run of the session', async () => {
    const events = readFileSync(exportPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as JsonlEvent);
    // Reads of registers with several decoded fields (not payload bytes), so the compare decodes what moved.
    const reads = events.filter((e) => e.kind === 'access' && e.op === 'R' && e.width === 4 && (e.fields ?? '').includes(',') && !/Payload/.test(e.register ?? ''));
    // Two reads answer differently (early and late), and one late read is missing: value, value, only-in-A.
    const early = reads[Math.floor(reads.length * 0.1)]!;
    const late = reads[Math.floor(reads.length * 0.8)]!;
    const gone = reads[Math.floor(reads.length * 0.9)]!;
    edited.changed = [early.seq, late.seq];
    edited.removed = gone.seq;
    const flip = (v: string) => '0x' + ((Number(v) ^ 0x00000100) >>> 0).toString(16).padStart(8, '0');
    const out = events
      .filter((e) => e.seq !== gone.seq)
      .map((e) => (edited.changed.includes(e.seq) ? { ...e, value: flip(e.value) } : e))
      .map((e) => JSON.stringify(e));
    const file = join(dir, 'board-b.jsonl');
    writeFileSync(file, out.join('\n') + '\n');
    await page.getByLabel('Trace file to import').setInputFiles(file);
    const result = page.getByTestId('transfer-result');
    await eventually(async () => expect(await result.textContent()).toMatch(/imported “board-b\.jsonl” as run #\d+/));
    await eventually(async () => expect(await runItems().first().textContent()).toContain('import'));
  });

  test('Alt+5 compare: summary counts, first divergence, tinted rows on both sides', async () => {
    await page.keyboard.press('Alt+5');
    const runA = page.getByLabel('Run A');
    const runB = page.getByLabel('Run B');
    await eventually(async () => expect(await runB.locator('option').count()).toBe(2));
    const options = await runB.locator('option').evaluateAll((els) => els.map((e) => ({ value: (e as HTMLOptionElement).value, text: e.textContent ?? '' })));
    const imported = options.find((o) => o.text.includes('import'))!;
    const original = options.find((o) => !o.text.includes('import'))!;
    await runA.selectOption(original.value);
    await runB.selectOption(imported.value);
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    const counts = page.getByTestId('compare-counts');
    await eventually(async () => expect(await counts.textContent()).toMatch(/value\s*2.*only A\s*1.*only B\s*0/));
    expect(await page.getByTestId('hunk-position').textContent()).toBe('1 / 3');
    expect(await page.getByTestId('first-divergence').textContent()).toContain(`A #${edited.changed[0]}`);
    expect(await page.locator('[aria-label="Per-register summary"] tbody tr').count()).toBeGreaterThanOrEqual(2);

    // The first divergence is on screen, A and B on one row, tinted, with its fields decoded old → new.
    const first = page.locator(`.cmp-row[data-a-seq="${edited.changed[0]}"]`);
    await eventually(async () => {
      expect(await first.getAttribute('data-divergent')).toBe('value');
      expect(await first.getAttribute('data-b-seq')).toBe(String(edited.changed[0]));
    });
    expect(await first.getAttribute('class')).toContain('current');
    expect(await first.locator('.side-a .val').textContent()).not.toBe(await first.locator('.side-b .val').textContent());
    const detail = page.getByTestId('divergence-detail');
    expect(await detail.textContent()).toMatch(/value.*A #\d+ · B #\d+/);
    expect(await detail.locator('.fd').count()).toBeGreaterThanOrEqual(1);
    expect(await detail.locator('.fd-a').first().textContent()).not.toBe(await detail.locator('.fd-b').first().textContent());
    await screenshot(page, 'compare-first-divergence');

    // issue 14: the per-device summary, and the divergence overview bar: a mark per hunk, a click jumps there.
    expect(await page.getByTestId('compare-devices').textContent()).toMatch(/aligned .*per node/);
    const marks = page.getByTestId('divergence-bar').locator('button');
    expect(await marks.count()).toBe(3);
    await marks.nth(2).click();
    await eventually(async () => expect(await page.getByTestId('hunk-position').textContent()).toBe('3 / 3'));
    await marks.nth(0).click();
    await eventually(async () => expect(await page.getByTestId('hunk-position').textContent()).toBe('1 / 3'));
  });

  test('n / p walk the divergences; the event only in A faces a gap and the rows after it pair up again', async () => {
    await page.locator('body').click({ position: { x: 5, y: 790 } });
    await page.keyboard.press('n');
    await page.keyboard.press('n');
    await eventually(async () => expect(await page.getByTestId('hunk-position').textContent()).toBe('3 / 3'));
    const gone = page.locator(`.cmp-row[data-a-seq="${edited.removed}"]`);
    await eventually(async () => expect(await gone.getAttribute('data-divergent')).toBe('only-a'));
    expect(await gone.getAttribute('data-b-seq')).toBeNull();
    expect(await gone.locator('.side-b .gap').count()).toBe(1);
    const before = Number(await page.locator(`.cmp-row[data-a-seq="${edited.removed - 1}"]`).getAttribute('data-b-seq'));
    const after = page.locator(`.cmp-row[data-a-seq="${edited.removed + 1}"]`);
    expect(Number(await after.getAttribute('data-b-seq'))).toBe(before + 1);
    expect(await after.getAttribute('data-divergent')).toBeNull();
    expect(await page.getByTestId('divergence-detail').textContent()).toContain('only-a');
    await screenshot(page, 'compare-only-in-a');
    await page.keyboard.press('p');
    await eventually(async () => expect(await page.getByTestId('hunk-position').textContent()).toBe('2 / 3'));
    await eventually(async () => expect(await page.locator(`.cmp-row[data-a-seq="${edited.changed[1]}"]`).getAttribute('class')).toContain('current'));
    await page.getByRole('button', { name: /First/ }).click();
    await eventually(async () => expect(await page.getByTestId('hunk-position').textContent()).toBe('1 / 3'));
  });

  test('one scroll moves both sides: at the end of the traces every row still pairs equal accesses', async () => {
    const viewport = page.getByRole('grid', { name: 'Aligned traces' });
    await viewport.evaluate((el) => (el.scrollTop = el.scrollHeight));
    const paired = page.locator('.cmp-row[data-a-seq][data-b-seq]');
    await eventually(async () => {
      // Each side's cells after its seq: node, space, offset, op, value, register · fields.
      const rows = await paired.evaluateAll((els) =>
        els.map((e) => ['.side-a', '.side-b'].map((s) => Array.from(e.querySelector(s)!.children).slice(1).map((c) => c.textContent).join('|'))),
      );
      expect(rows.length).toBeGreaterThan(10);
      for (const [a, b] of rows) {
        expect(a).not.toContain('…'); // loaded
        expect(a).toBe(b);
      }
    });
    await screenshot(page, 'compare-end');
  });

  test('a QEMU trace log (.log) imports as a run whose accesses are decoded on the CXL nodes', async () => {
    await page.keyboard.press('Alt+1');
    await page.getByLabel('Trace file to import').setInputFiles(join(repoRoot, 'test', 'fixtures', 'qemu-7.2-seabios-cxl.log'));
    const result = page.getByTestId('transfer-result');
    await eventually(async () => expect(await result.textContent()).toMatch(/imported “qemu-7\.2-seabios-cxl\.log” as run #\d+ \([1-9][\d,]* events\)/));
    const rows = page.locator('.trace-row:not(.loading)');
    await eventually(async () => {
      const nodes = await rows.locator('[role=gridcell]:nth-child(3)').allTextContents();
      expect(nodes.some((n) => /^hb0\.rp0(\.ep0)?$/.test(n))).toBe(true);
      expect((await rows.locator('.reg').allTextContents()).some((r) => r.trim() !== '')).toBe(true);
    });
    await screenshot(page, 'trace-import-qemu');
  });

  test('Topology: enumerate on the emulated endpoint, then with it swapped for rev-a silicon over Etherbone', async () => {
    await page.keyboard.press('Alt+2');
    const ep = page.locator('[role=tree] [role=treeitem]').filter({ hasText: 'Type 3' }).first();
    await ep.click();
    await page.getByLabel('Run sequence').selectOption('enumerate');
    const log = page.locator('[aria-label="Live bench log"]');
    const runButton = page.getByRole('button', { name: /Run with these backends/ });
    await runButton.click();
    await eventually(async () => expect(await log.textContent()).toMatch(/run #\d+ started: enumerate on single, all emulated/));
    await page.getByLabel('hardware link').check();
    await page.getByLabel('Link URI').fill(sim.uri);
    await runButton.click();
    await eventually(async () => expect(await log.textContent()).toContain(`ep0=${sim.uri}`));
    const text = (await log.textContent()) ?? '';
    emulatedRun = Number(/run #(\d+) started: enumerate on single, all emulated/.exec(text)![1]);
    siliconRun = Number(/run #(\d+) started: enumerate on single with hb0\.rp0\.ep0=etherbone/.exec(text)![1]);
    await screenshot(page, 'topology-hardware-target');
  });

  test('Compare: the emulated device against rev-a silicon shows the silicon\'s deviations decoded', async () => {
    await page.keyboard.press('Alt+5');
    const runB = page.getByLabel('Run B');
    await eventually(async () => {
      await page.getByRole('button', { name: '↻' }).click();
      expect(await runB.locator(`option[value="${siliconRun}"]`).count()).toBe(1);
      expect(await runB.locator(`option[value="${emulatedRun}"]`).count()).toBe(1);
    }, 20_000);
    await page.getByLabel('Run A').selectOption(String(emulatedRun));
    await runB.selectOption(String(siliconRun));
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await eventually(async () => expect(await page.getByTestId('hunk-position').textContent()).toMatch(/^1 \/ \d+$/));
    expect(await page.getByTestId('compare-counts').textContent()).toMatch(/value\s*[1-9]/);
    const detail = page.getByTestId('divergence-detail');
    await eventually(async () => expect(await detail.locator('.fd').count()).toBeGreaterThanOrEqual(1));
    expect(await page.locator('.cmp-row.current').count()).toBeGreaterThanOrEqual(1);
    await screenshot(page, 'compare-emulated-vs-silicon');
  });

  test('a mask hides a field that legitimately differs: the Revision ID no longer counts', async () => {
    const counts = page.getByTestId('compare-counts');
    const valueCount = async () => Number(/value\s*(\d+)/.exec((await counts.textContent()) ?? '')![1]);
    const before = await valueCount();
    expect(await page.getByTestId('compare-summary').textContent()).toContain('Revision ID');
    await page.getByLabel('Masks').fill('*.*.Revision ID');
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await eventually(async () => expect(await valueCount()).toBeLessThan(before));
    expect(await page.getByTestId('first-divergence').textContent()).not.toBe('');
    expect(await page.locator('[aria-label="Per-register summary"] tbody').textContent()).not.toContain('Revision ID');
    await page.getByLabel('Masks').fill('');
  });

  test('Alt+6 links: serial ports (or why not), a link that answers with its latency, one that fails, both listed', async () => {
    await page.keyboard.press('Alt+6');
    await eventually(async () => {
      const ports = await page.locator('[aria-label="Serial ports"] .item').count();
      const err = await page.locator('#view-links [role=alert]').count();
      const empty = await page.locator('[aria-label="Serial ports"] .empty').textContent().catch(() => '');
      expect(ports > 0 || err > 0 || /No serial ports/.test(empty ?? '')).toBe(true);
    });
    const uri = page.getByLabel('Link URI');
    await uri.fill('bogus');
    await eventually(async () => expect(await page.getByRole('button', { name: 'Open & test' }).isDisabled()).toBe(true));
    const results = page.locator('[aria-label="Link test results"] tbody tr');

    await uri.fill(sim.uri);
    await page.getByLabel('reads').fill('8');
    await page.getByRole('button', { name: 'Open & test' }).click();
    await eventually(async () => expect(await results.first().textContent()).toContain(sim.uri), 15_000);
    const cells = await results.first().locator('td').allTextContents();
    expect(cells[1]).toBe('ok');
    expect(cells[2]).toMatch(/^0x[0-9a-f]{8}$/i); // Vendor/Device ID read over the link
    expect(cells[3]).toMatch(/^\d+\.\d µs$/); // mean latency
    expect(cells[7]).toMatch(/^512 MiB at 0x[0-9a-f]+, DPA 0 reads 0x[0-9a-f]{8}$/); // the default map's memory window

    await uri.fill('etherbone://127.0.0.1:9');
    await page.getByRole('button', { name: 'Open & test' }).click();
    await eventually(async () => expect(await results.first().textContent()).toMatch(/etherbone:\/\/127\.0\.0\.1:9.*failed.*(ECONNREFUSED|refused)/i), 15_000);
    const listed = page.locator('[aria-label="Configured links"] tbody tr');
    await eventually(async () => {
      expect(await listed.filter({ hasText: 'etherbone://127.0.0.1:9' }).textContent()).toMatch(/failed/);
      expect(await listed.filter({ hasText: sim.uri }).count()).toBe(1);
    });
    await screenshot(page, 'links');
    expect(problems.filter((p) => !/links\.serialPorts/.test(p))).toEqual([]);
  });
});
