// compare.run { rebase: true }: a trace that reached the device's BARs by absolute address (as a QEMU log or
// another tool records it) lines up with a BAR-relative trace once the BAR programming seen in the trace —
// sizing with all-ones, then the base (PCI 3.0 6.2.5.1) — rebases its addresses.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from '../../main/api/table.js';
import { barRebaseRules } from '../../main/compare/bar-rebase.js';
import type { Services } from '../../main/services/services.js';
import type { AccessEvent, TraceEvent } from '../../trace/event.js';
import { arraySource } from '../../trace/event.js';
import { exportJsonl } from '../../trace/formats/jsonl.js';
import { tempServices } from '../api/helpers.js';

const EP = 'hb0.rp0.ep0';
let env: Awaited<ReturnType<typeof tempServices>>;
let s: Services;
let sessionId = 0;
beforeAll(async () => {
  env = await tempServices();
  s = env.services;
  sessionId = (await callApi(s, 'sessions.create', { name: 'rebase' })).id;
});
afterAll(() => env.dispose());

let seq = 0;
const acc = (node: string, space: AccessEvent['space'], region: AccessEvent['region'], offset: number, op: 'R' | 'W', value: bigint): AccessEvent => ({
  kind: 'access', seq: seq++, timeNs: 0, node, space, region, offset, width: 4, op, value, status: 'ok',
});

/** Firmware sizes a 64-bit BAR0 of 64 KiB and puts it at 0x2_fe80_0000 (upper half in BAR1). */
const firmware = (): AccessEvent[] => [
  acc(EP, 'cfg', 'cfg', 0x10, 'W', 0xffff_ffffn),
  acc(EP, 'cfg', 'cfg', 0x10, 'R', 0xffff_0004n),
  acc(EP, 'cfg', 'cfg', 0x14, 'W', 0xffff_ffffn),
  acc(EP, 'cfg', 'cfg', 0x14, 'R', 0xffff_ffffn),
  acc(EP, 'cfg', 'cfg', 0x10, 'W', 0xfe80_0000n),
  acc(EP, 'cfg', 'cfg', 0x14, 'W', 0x2n),
];
const BASE = 0x2_fe80_0000;
const ops: Array<[number, 'R' | 'W', bigint]> = [
  [0x1000, 'R', 0x0010_0001n],
  [0x1004, 'R', 0x0200_0005n],
  [0x1400, 'W', 0x1n],
  [0xfffc, 'R', 0x0n],
];

async function importRun(events: TraceEvent[]): Promise<number> {
  const text = [...exportJsonl(events)].join('');
  return (await callApi(s, 'trace.import', { sessionId, format: 'jsonl', text })).id;
}

describe('compare.run rebase', () => {
  it('finds the 64-bit BAR the firmware programmed', () => {
    seq = 0;
    expect(barRebaseRules(arraySource(firmware()))).toEqual([{ region: 'hpa', base: BASE, size: 0x10000, to: { node: EP, space: 'mmio', region: 'bar0' } }]);
  });

  it('lines absolute accesses up with BAR-relative ones; without it they are only-in-A/B', async () => {
    seq = 0;
    const relative = [...firmware(), ...ops.map(([o, op, v]) => acc(EP, 'mmio', 'bar0', o, op, v))];
    seq = 0;
    // One access just past the BAR stays absolute (it is not the device's).
    const absolute = [...firmware(), ...ops.map(([o, op, v]) => acc('qemu', 'mem', 'hpa', BASE + o, op, v))];
    const a = await importRun(relative);
    const b = await importRun([...absolute, acc('qemu', 'mem', 'hpa', BASE + 0x10000, 'R', 0n)]);

    const plain = await callApi(s, 'compare.run', { runA: a, runB: b });
    expect(plain.counts).toMatchObject({ equal: firmware().length, onlyA: ops.length, onlyB: ops.length + 1 });

    const rebased = await callApi(s, 'compare.run', { runA: a, runB: b, rebase: true });
    expect(rebased.counts).toMatchObject({ equal: firmware().length + ops.length, onlyA: 0, onlyB: 1, valueDiffers: 0 });
    expect((await callApi(s, 'compare.list', { sessionId }))[0]).toMatchObject({ id: rebased.compareId });
  });
});
