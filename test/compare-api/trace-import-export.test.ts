// trace.import / trace.export through the API table: the real QEMU 7.2 capture decodes to register names,
// malformed input names its line and writes nothing, export -> import -> compare is equal.

import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../main/api/api-error.js';
import { callApi } from '../../main/api/table.js';
import type { Services } from '../../main/services/services.js';
import { StoredTraceSource } from '../../main/store/stored-trace.js';
import { resolveBlock } from '../../emulator/spec/blocks.js';
import { compareTraces } from '../../trace/compare/index.js';
import { tableCounts, tempServices } from '../api/helpers.js';

const QEMU_LOG = readFileSync(new URL('../fixtures/qemu-7.2-seabios-cxl.log', import.meta.url), 'utf8');

let env: Awaited<ReturnType<typeof tempServices>>;
let s: Services;
let sessionId = 0;
let recorded = 0;
beforeAll(async () => {
  env = await tempServices();
  s = env.services;
  process.env.CXL_BENCH_EXPORT_DIR = `${env.dir}/exports`;
  sessionId = (await callApi(s, 'sessions.create', { name: 'imports' })).id;
  const run = await callApi(s, 'runs.start', { sessionId, sequence: 'test-pass', topology: 'none' });
  await s.runs.wait(run.id);
  recorded = run.id;
});
afterAll(async () => {
  delete process.env.CXL_BENCH_EXPORT_DIR;
  await env.dispose();
});

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

const source = (runId: number) => new StoredTraceSource(s.store.chunks, runId, s.store.runs.get(runId)!.eventCount);

describe('trace.import of the real QEMU 7.2 SeaBIOS capture', () => {
  it('becomes a passed import run whose type3 config reads decode to register names with widths from the declarations', async () => {
    const run = await callApi(s, 'trace.import', { sessionId, format: 'qemu', text: QEMU_LOG });
    expect(run).toMatchObject({ sequence: 'import', status: 'passed', topology: 'single' });
    // Only the CXL functions' lines: the chipset (mch 00:00.0) and the RTC/APIC/port 92 accesses (outside any
    // CXL BAR) are left out by default (cxlOnly).
    const cxlCfgLines = QEMU_LOG.split('\n').filter((l) => /^pci_cfg_(read|write) (pxb-cxl|cxl-rp|cxl-type3) /.test(l)).length;
    expect(cxlCfgLines).toBeGreaterThan(100);
    expect(run.eventCount).toBe(cxlCfgLines);

    const page = await callApi(s, 'trace.page', { runId: run.id, offset: 0, limit: 500, filter: { node: 'hb0.rp0.ep0' } });
    expect(page.total).toBe(QEMU_LOG.split('\n').filter((l) => /^pci_cfg_\w+ cxl-type3 /.test(l)).length);
    const first = page.rows[0];
    // "pci_cfg_read cxl-type3 0d:00.0 @0x0 -> 0x8086": Vendor ID is a 16-bit register at 0x00.
    expect(first).toMatchObject({ space: 'cfg', offset: 0, width: 2, op: 'R', value: '0x8086' });
    expect(first.register).toMatch(/vendor/i);
    // "@0xa -> 0x502": Class Code's Sub-Class/Base (0x0502 = memory controller, CXL) — a declared register.
    const classRead = page.rows.find((r) => r.offset === 0xa)!;
    expect(classRead.register).not.toBe('');
    const decoded = page.rows.filter((r) => r.register !== '').length;
    expect(decoded / page.rows.length).toBeGreaterThan(0.9);
  });

  it('cxlOnly: false keeps every line: the chipset under its BDF and unclaimed memory accesses on node qemu', async () => {
    const lines = QEMU_LOG.split('\n');
    const run = await callApi(s, 'trace.import', { sessionId, format: 'qemu', text: QEMU_LOG, cxlOnly: false });
    const cfgLines = lines.filter((l) => /^pci_cfg_(read|write) /.test(l)).length;
    expect(run.eventCount).toBe(cfgLines + lines.filter((l) => l.startsWith('memory_region_ops_')).length);
    const chipset = await callApi(s, 'trace.page', { runId: run.id, offset: 0, limit: 50, filter: { node: '00:00.0' } });
    expect(chipset.total).toBe(lines.filter((l) => /^pci_cfg_\w+ mch 00:00\.0 /.test(l)).length);
    const qemu = await callApi(s, 'trace.page', { runId: run.id, offset: 0, limit: 50, filter: { node: 'qemu' } });
    expect(qemu.total).toBe(lines.filter((l) => l.startsWith('memory_region_ops_')).length);
    // The default import of the same text has neither.
    const cxl = await callApi(s, 'trace.import', { sessionId, format: 'qemu', text: QEMU_LOG });
    for (const node of ['00:00.0', 'qemu'])
      expect((await callApi(s, 'trace.page', { runId: cxl.id, offset: 0, limit: 1, filter: { node } })).total).toBe(0);
    expect(cxl.eventCount).toBe(run.eventCount - chipset.total - qemu.total);
  });

  it('a device named in devices is kept even without a CXL role', async () => {
    const run = await callApi(s, 'trace.import', { sessionId, format: 'qemu', text: QEMU_LOG, devices: { mch: 'chipset' } });
    const page = await callApi(s, 'trace.page', { runId: run.id, offset: 0, limit: 50, filter: { node: 'chipset' } });
    expect(page.total).toBe(QEMU_LOG.split('\n').filter((l) => /^pci_cfg_\w+ mch /.test(l)).length);
  });

  it('a malformed line is bad-input naming the line, and nothing is written', async () => {
    const before = tableCounts(s);
    const lines = QEMU_LOG.split('\n');
    lines.splice(6, 0, 'pci_cfg_read cxl-type3 0d:00.0 @0xzz -> 0x1');
    const e = await rejection(callApi(s, 'trace.import', { sessionId, format: 'qemu', text: lines.join('\n') }));
    expect(e.code).toBe('bad-input');
    expect(e.field).toBe('text');
    expect(e.message).toMatch(/line 7\b/);
    expect(tableCounts(s)).toEqual(before);
  });

  it('bad payloads name the field', async () => {
    const e1 = await rejection(callApi(s, 'trace.import', { sessionId, format: 'pcap', text: '' } as never));
    expect([e1.code, e1.field]).toEqual(['bad-input', 'format']);
    const e2 = await rejection(callApi(s, 'trace.import', { sessionId: 999, format: 'csv', text: '' }));
    expect([e2.code, e2.field]).toEqual(['not-found', 'sessionId']);
    const e3 = await rejection(callApi(s, 'trace.export', { runId: recorded, format: 'pdf' } as never));
    expect([e3.code, e3.field]).toEqual(['bad-input', 'format']);
    const e4 = await rejection(callApi(s, 'trace.export', { runId: 999, format: 'csv' }));
    expect([e4.code, e4.field]).toEqual(['not-found', 'runId']);
  });
});

describe('trace.export -> trace.import', () => {
  for (const format of ['csv', 'jsonl'] as const) {
    it(`${format}: the re-imported run compares equal to the recorded one`, async () => {
      const out = await callApi(s, 'trace.export', { runId: recorded, format });
      expect(out.path.startsWith(`${env.dir}/exports`)).toBe(true);
      expect(out.events).toBe(s.store.runs.get(recorded)!.eventCount);
      const text = readFileSync(out.path, 'utf8');
      expect(Buffer.byteLength(text)).toBe(out.bytes);
      const back = await callApi(s, 'trace.import', { sessionId, format, text });
      expect(back.eventCount).toBe(out.events);
      const r = compareTraces(source(recorded), source(back.id), { resolve: resolveBlock });
      expect(r.counts).toMatchObject({ valueDiffers: 0, onlyA: 0, onlyB: 0 });
      expect(r.equal).toBe(true);
      // Steps come back as steps.
      expect((await callApi(s, 'runs.get', { id: back.id })).steps.length).toBe((await callApi(s, 'runs.get', { id: recorded })).steps.length);
    });
  }

  it('vcd writes a value-change dump of the run', async () => {
    const out = await callApi(s, 'trace.export', { runId: recorded, format: 'vcd' });
    expect(existsSync(out.path)).toBe(true);
    const head = readFileSync(out.path, 'utf8').slice(0, 2000);
    expect(head).toMatch(/\$timescale 1ns \$end/);
    expect(head).toMatch(/\$var /);
  });
});
