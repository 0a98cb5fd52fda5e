// A QEMU log with two functions of one type (two cxl-type3 and two cxl-downstream behind a switch) must import
// as distinct nodes, not fold onto one by device name.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from '../../main/api/table.js';
import type { Services } from '../../main/services/services.js';
import { tempServices } from '../api/helpers.js';

const SWITCH_LOG = readFileSync(new URL('../fixtures/qemu-7.2-seabios-cxl-switch.log', import.meta.url), 'utf8');

let env: Awaited<ReturnType<typeof tempServices>>;
let s: Services;
beforeAll(async () => {
  env = await tempServices();
  s = env.services;
});
afterAll(() => env.dispose());

describe('trace.import of a QEMU log with repeated device types', () => {
  it('keeps each function on its own node, mapped by role and position onto the topology', async () => {
    const sessionId = (await callApi(s, 'sessions.create', { name: 'qemu switch' })).id;
    const run = await callApi(s, 'trace.import', { sessionId, format: 'qemu', text: SWITCH_LOG, topology: 'switch4' });
    const rows = (await callApi(s, 'trace.page', { runId: run.id, offset: 0, limit: 5000 })).rows;
    const nodes = new Set(rows.map((r) => r.node));
    expect(nodes).toContain('hb0.rp0.sw0.dsp0.ep0');
    expect(nodes).toContain('hb0.rp0.sw0.dsp1.ep0');
    expect(nodes).toContain('hb0.rp0.sw0.dsp0');
    expect(nodes).toContain('hb0.rp0.sw0.dsp1');
    // Each endpoint's own ID reads decode against its own layout.
    const ep1Ids = rows.find((r) => r.node === 'hb0.rp0.sw0.dsp1.ep0' && r.offset === 0 && r.op === 'R');
    expect(ep1Ids?.register).toContain('Vendor ID');
  });

  it('cxlOnly: false keeps the chipset functions under their BDF and the CXL functions on their role-mapped nodes', async () => {
    const sessionId = (await callApi(s, 'sessions.create', { name: 'qemu switch all' })).id;
    const all = await callApi(s, 'trace.import', { sessionId, format: 'qemu', text: SWITCH_LOG, topology: 'switch4', cxlOnly: false });
    const cxl = await callApi(s, 'trace.import', { sessionId, format: 'qemu', text: SWITCH_LOG, topology: 'switch4' });
    const lines = SWITCH_LOG.split('\n');
    const count = (re: RegExp): number => lines.filter((l) => re.test(l)).length;
    expect(all.eventCount).toBe(count(/^pci_cfg_(read|write) /));
    expect(cxl.eventCount).toBe(count(/^pci_cfg_(read|write) (pxb-cxl|cxl-rp|cxl-upstream|cxl-downstream|cxl-type3) /));
    const rows = (await callApi(s, 'trace.page', { runId: all.id, offset: 0, limit: 5000 })).rows;
    const nodes = new Set(rows.map((r) => r.node));
    for (const n of ['00:00.0', '00:1f.0', 'hb0.rp0.sw0.dsp0.ep0', 'hb0.rp0.sw0.dsp1.ep0']) expect(nodes).toContain(n);
    expect(rows.filter((r) => r.node === '00:00.0').length).toBe(count(/^pci_cfg_\w+ mch 00:00\.0 /));
  });
});
