// issue 14: lossless import. Every device of a QEMU log, CSV or JSON lines maps to a node of the topology or
// the import fails naming the ones it cannot place (the user maps them with nodeMap); every input line is
// counted as imported, folded, used, blank or skipped with its reason; CHBCR accesses import. A QEMU + Linux
// capture imported onto its own topology file is stored with it, so its replay runs on exactly that topology.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../main/api/api-error.js';
import type { TraceImportReport } from '../../main/api/contract.js';
import { callApi } from '../../main/api/table.js';
import { qemuFixtureDir, readQemuCapture } from '../../main/qemu/qemu-fixture.js';
import type { Services } from '../../main/services/services.js';
import { tempServices } from '../api/helpers.js';

let env: Awaited<ReturnType<typeof tempServices>>;
let s: Services;
let sessionId: number;
beforeAll(async () => {
  env = await tempServices();
  s = env.services;
  sessionId = (await callApi(s, 'sessions.create', { name: 'lossless' })).id;
});
afterAll(() => env.dispose());

const accounted = (r: TraceImportReport): number => r.imported + r.folded + r.used + r.blank + Object.values(r.skipped).reduce((a, b) => a + b, 0);

describe('lossless trace.import', () => {
  it('a QEMU + Linux capture onto its own topology file: every line counted, CHBCR imported, stored topology', async () => {
    const cap = readQemuCapture(qemuFixtureDir('interleave2'));
    const run = await callApi(s, 'trace.import', { sessionId, format: 'qemu', text: cap.trace, topologyJson: cap.topologyJson });
    const r = run.report;
    expect(r.placement).toBe('command line');
    expect(accounted(r)).toBe(r.lines);
    expect(r.lines).toBe(cap.trace.split('\n').length - (cap.trace.endsWith('\n') ? 1 : 0));
    expect(r.imported).toBe(run.eventCount);
    expect(r.devices.map((d) => d.node).sort()).toEqual(['hb0.rp0', 'hb0.rp0.ep0', 'hb0.rp1', 'hb0.rp1.ep0']);
    expect(run.topology).toBe('qemu-interleave2');
    expect(s.store.runs.topologyJson(run.id)).toBe(cap.topologyJson);
    const rows = [];
    for (let at = 0; at < run.eventCount; at += 5000) rows.push(...(await callApi(s, 'trace.page', { runId: run.id, offset: at, limit: 5000 })).rows);
    const chbcr = rows.filter((x) => x.region === 'chbcr');
    // Linux programs the host bridge's HDM decoder for the 2-way region: its CHBCR accesses land on hb0.
    expect(chbcr.length).toBeGreaterThan(0);
    expect(new Set(chbcr.map((x) => x.node))).toEqual(new Set(['hb0']));
    expect(chbcr.some((x) => /HDM Decoder/.test(x.register))).toBe(true);
    expect(run.summary).toMatch(/lines: \d+ imported/);
  });

  it('the real interleave2 capture replayed on its own topology aligns ≥ 99 % per node (exact widths replayed as recorded)', async () => {
    const cap = readQemuCapture(qemuFixtureDir('interleave2'));
    const src = await callApi(s, 'trace.import', { sessionId, format: 'qemu', text: cap.trace, topologyJson: cap.topologyJson });
    const r = await callApi(s, 'runs.replay', { sessionId, sourceRunId: src.id });
    expect(r.run.topology).toBe('qemu-interleave2');
    expect(await s.runs.wait(r.run.id)).toBe('passed');
    const c = await callApi(s, 'compare.run', { runA: src.id, runB: r.run.id, nodeMap: r.nodeMap });
    expect(c.alignment.ratio).toBeGreaterThanOrEqual(0.99);
    expect(c.devices.map((d) => d.node)).toEqual(expect.arrayContaining(['hb0.rp0.ep0', 'hb0.rp1.ep0', 'hb0']));
    for (const d of c.devices.filter((x) => x.node !== 'hb0')) expect(d.onlyA + d.onlyB).toBe(0);
  });

  it('a log with devices the topology lacks fails naming them; nodeMap places them', async () => {
    const cap = readQemuCapture(qemuFixtureDir('hb2'));
    const err = await callApi(s, 'trace.import', { sessionId, format: 'qemu', text: cap.trace, topology: 'single' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).field).toBe('nodeMap');
    expect((err as ApiError).message).toMatch(/no node for 3 CXL device\(s\) of the log: pxb-cxl@00:\w\w\.0, cxl-rp@20:00\.0, cxl-type3@21:00\.0/);
    const runs = s.store.runs.list(sessionId).length;
    // Placed by hand (here onto the one host bridge of 'single'): accepted.
    const run = await callApi(s, 'trace.import', {
      sessionId,
      format: 'qemu',
      text: cap.trace,
      topology: 'single',
      nodeMap: { 'cxl-rp@20:00.0': 'hb0.rp0', 'cxl-type3@21:00.0': 'hb0.rp0.ep0', 'pxb-cxl': 'hb0' },
    });
    expect(run.report.placement).toBe('node map and roles');
    expect(accounted(run.report)).toBe(run.report.lines);
    expect(s.store.runs.list(sessionId).length).toBe(runs + 1);
  });

  it('CSV: every line counted; a node the topology lacks fails naming it; nodeMap renames it', async () => {
    const csv = [
      'seq,timeNs,kind,node,space,region,offset,width,op,value,status,record,register,fields',
      '0,0,access,hb0.rp0.ep0,cfg,cfg,0x0,2,R,0x8086,ok,,,',
      '',
      '1,10,access,board0,cfg,cfg,0x0,2,R,0x1e98,ok,,,',
      '2,20,access,qemu,mem,hpa,0x1000,8,R,0x0,ok,,,',
    ].join('\n');
    const err = await callApi(s, 'trace.import', { sessionId, format: 'csv', text: csv, topology: 'single' }).catch((e: unknown) => e);
    expect((err as ApiError).message).toMatch(/topology single has no node board0/);
    const run = await callApi(s, 'trace.import', { sessionId, format: 'csv', text: csv, topology: 'single', nodeMap: { board0: 'hb0.rp0' } });
    expect(run.report).toMatchObject({ lines: 5, imported: 3, used: 1, blank: 1, skipped: {} });
    expect(run.report.devices).toContainEqual({ device: 'board0', node: 'hb0.rp0' });
    const rows = (await callApi(s, 'trace.page', { runId: run.id, offset: 0, limit: 10 })).rows;
    expect(rows.map((x) => x.node)).toEqual(['hb0.rp0.ep0', 'hb0.rp0', 'qemu']);
  });
});
