// UI benchmarks (issue 15; DESIGN.md 7 renderer: first rows of a 1 M-event run within 1 s), in Debian's Chromium
// against the real services behind the WebSocket server, the way a user does it:
//  - ui.import_1m_seconds: a 1 M-event, ~120 MB CSV (the shape of the app's own export: decoded register and
//    field columns) picked in "Import file…" until the run is listed — chunked upload, then batched storing;
//  - ui.import_1m_longest_task_ms: the longest main-thread task the page ran meanwhile (PerformanceObserver
//    'longtask'): how unresponsive the page got;
//  - ui.first_rows_ms: opening that 1 M-event run (click in the runs list) until its first trace rows show.
// All three come from one import (it takes a while), measured once and reported by each entry.

import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { createServices } from '../main/services/services.js';
import { startServer } from '../main/server/ws-server.js';

export interface Benchmark {
  name: string;
  unit: string;
  run(): Promise<number> | number;
}

const EVENTS = 1_000_000;
const CHROMIUM = process.env.CXL_BENCH_CHROMIUM ?? '/usr/bin/chromium';
const RENDERER = process.env.CXL_BENCH_E2E_RENDERER ?? join(import.meta.dirname, '..', 'out', 'renderer');

/** CSV rows like an export of a probe: config and BAR reads/writes with their decode. */
function writeCsv(path: string): number {
  const head = 'seq,timeNs,kind,node,space,region,offset,width,op,value,status,record,register,fields';
  const regs = [
    ['cfg', 'cfg', 0x0, 'PCI Type 0 Configuration Header · Vendor ID', 'Vendor ID=0x1e98'],
    ['cfg', 'cfg', 0x4, 'PCI Type 0 Configuration Header · Command', 'IO Space Enable=0x0, Memory Space Enable=0x1, Bus Master Enable=0x1'],
    ['mmio', 'bar2', 0x218, 'CXL Mailbox Registers · MB Control', 'Doorbell=0x0, MB Doorbell Interrupt=0x0, Background Command Complete Interrupt=0x0'],
    ['mmio', 'bar0', 0x1104, 'HDM Decoder Capability Structure · HDM Decoder Global Control', 'Poison On Decode Error Enable=0x0, HDM Decoder Enable=0x1'],
  ] as const;
  const parts: string[] = [head];
  for (let i = 0; i < EVENTS; i++) {
    const [space, region, offset, register, fields] = regs[i & 3]!;
    const w = (i & 7) === 5;
    parts.push(`${i},${i * 1000},access,hb0.rp0.ep0,${space},${region},0x${offset.toString(16)},4,${w ? 'W' : 'R'},0x${(0x1e987003 ^ i).toString(16).padStart(8, '0')},ok,,${register},"${fields}"`);
  }
  writeFileSync(path, parts.join('\n') + '\n');
  return statSync(path).size;
}

let measured: Promise<{ importS: number; longestMs: number; firstRowsMs: number }> | null = null;

function measure() {
  measured ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cxl-ui-bench-'));
    const services = await createServices({ dbPath: join(dir, 'bench.sqlite'), shell: 'browser' });
    const server = await startServer({ services, host: '127.0.0.1', port: 0, staticDir: RENDERER });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    try {
      const csv = join(dir, 'million.csv');
      const bytes = writeCsv(csv);
      process.stderr.write(`bench ui: ${EVENTS} events, ${(bytes / 1e6).toFixed(1)} MB CSV\n`);
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.addInitScript(() => {
        const w = window as unknown as { __longest: number };
        w.__longest = 0;
        new PerformanceObserver((l) => {
          for (const e of l.getEntries()) w.__longest = Math.max(w.__longest, e.duration);
        }).observe({ type: 'longtask', buffered: true });
      });
      await page.goto(server.newLaunchUrl());
      await page.locator('.conn-open').waitFor();
      await page.keyboard.press('n');
      await page.getByLabel('New session name').fill('ui bench');
      await page.keyboard.press('Enter');
      await page.locator('#top-session').waitFor();
      await page.evaluate(() => ((window as unknown as { __longest: number }).__longest = 0));
      const t0 = performance.now();
      await page.getByLabel('Trace file to import').setInputFiles(csv);
      await page.getByTestId('transfer-result').filter({ hasText: /imported “million\.csv”/ }).waitFor({ timeout: 600_000 });
      const importS = (performance.now() - t0) / 1000;
      const longestMs = await page.evaluate(() => (window as unknown as { __longest: number }).__longest);
      // Open it cold: another run first (a small import), then the 1 M-event one.
      const small = join(dir, 'small.csv');
      writeFileSync(small, 'seq,timeNs,kind,node,space,region,offset,width,op,value,status,record,register,fields\n0,0,access,hb0.rp0.ep0,cfg,cfg,0x0,4,R,0x1e987003,ok,,,\n');
      await page.getByLabel('Trace file to import').setInputFiles(small);
      await page.getByTestId('transfer-result').filter({ hasText: /imported “small\.csv”/ }).waitFor({ timeout: 60_000 });
      const big = page.locator('[role=listbox][aria-label=Runs] [role=option]').filter({ hasText: '1,000,000 ev' });
      const t1 = performance.now();
      await big.click();
      await page.locator('.trace-pane .count').filter({ hasText: '1,000,000' }).waitFor({ timeout: 60_000 });
      await page.locator('.trace-row:not(.loading)').first().waitFor({ timeout: 60_000 });
      const firstRowsMs = performance.now() - t1;
      return { importS, longestMs, firstRowsMs };
    } finally {
      await browser.close();
      await server.close();
      await services.close();
      rmSync(dir, { recursive: true, force: true });
    }
  })();
  return measured;
}

export const benchmarks: Benchmark[] = [
  { name: 'ui.import_1m_seconds', unit: 's', run: async () => (await measure()).importS },
  { name: 'ui.import_1m_longest_task_ms', unit: 'ms', run: async () => (await measure()).longestMs },
  { name: 'ui.first_rows_ms', unit: 'ms', run: async () => (await measure()).firstRowsMs },
];
