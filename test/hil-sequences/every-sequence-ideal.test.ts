// Issue 7: every sequence passes against the `ideal` silicon profile over Etherbone and UARTBone, with a trace
// equal (default masks) to the emulated run of the same sequence on the same topology ('single'). Each run goes
// through the real RunManager (runs.start with targets { 'hb0.rp0.ep0': <link uri> }) and compare.run.
//
// conformance is exactly equal too, though two of its steps observe device time (the silicon keeps wall time,
// the emulated device a virtual clock that only moves when the host sleeps): mbox.background-status's 64-byte
// Scan Media is still running at the first MB Status poll in the emulated run and done on silicon — the
// default masks treat Background Operation like Percentage Complete and fold the background wait into one
// "poll until done" whatever its length (trace/compare/normalise.ts); mbox.timestamp-round-trip's Get Timestamp
// output differs — the default mask 'mailbox.0x0300' reaches the Command Payload reads that returned it
// (trace/compare/mailbox-payload.ts).
//
// region: its memory test goes through the platform's HPA path, which on a hardware node routes through the
// emulated host bridge to the board, decodes with the board's committed HDM decoder and moves the bytes through
// the device map's memory window (main/runs/hardware-platform.ts): the whole run, memory events included, is
// equal. linux-probe (the full label read) runs over Etherbone only: over a 3 Mbaud pty it is the slow one.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBlock } from '../../emulator/spec/blocks.js';
import { callApi } from '../../main/api/table.js';
import { DEMO_SEQUENCE_ID, DEMO_SEQUENCES_MODULE } from '../../main/links/demo-sequences.js';
import { startSim } from '../../main/links/sim-server.js';
import { createServices, type Services } from '../../main/services/services.js';
import { StoredTraceSource } from '../../main/store/stored-trace.js';
import { compareTraces } from '../../trace/compare/index.js';

const EP = 'hb0.rp0.ep0';
type Link = 'etherbone' | 'uartbone';
const TOPOLOGY = 'single';

let dir = '';
let s: Services;
let sessionId = 0;
const emulated = new Map<string, number>();

/** Runs `sequence` (on the link `uri`, else emulated) and expects it passed. */
async function runOf(sequence: string, uri?: string): Promise<number> {
  const run = await callApi(s, 'runs.start', { sessionId, sequence, topology: TOPOLOGY, ...(uri ? { targets: { [EP]: uri } } : {}) });
  const status = await s.runs.wait(run.id);
  const d = await callApi(s, 'runs.get', { id: run.id });
  const bad = d.steps.filter((x) => x.verdict === 'fail').map((x) => `${x.name}: ${x.reason} [${x.evidence ?? ''}]`);
  expect(status, `${sequence} on ${uri ?? 'emulator'}: ${d.summary ?? ''}\n${bad.join('\n')}`).toBe('passed');
  return run.id;
}

/** Registers that differ between two stored runs with no default masks (and no poll-count leniency from them). */
function unmaskedDifferences(runA: number, runB: number): string[] {
  const src = (id: number) => new StoredTraceSource(s.store.chunks, id, s.store.runs.get(id)!.eventCount);
  const layout = (id: number) => s.store.runs.layout(id);
  const r = compareTraces(src(runA), src(runB), { layoutA: layout(runA), layoutB: layout(runB), resolve: resolveBlock, defaultMasks: false });
  return r.registers.filter((x) => x.valueDiffers + x.onlyA + x.onlyB + x.pollCountDiffers > 0).map((x) => x.register);
}

/** Where conformance observes device time (see the top): what the default masks must absorb, and only that. */
// Payload reads show as "bar2 +0x2NN" or, decoded by structure, "CXL Mailbox Command Payload · +0xN" (Get Timestamp output).
const TIME_DEPENDENT = /Mailbox Status|Background Command Status|bar2 \+0x2[0-9a-f]{2} · R4|CXL Mailbox Command Payload · \+0x[0-9a-f]+ · R4|mailbox 0x0300/;

/** A fresh ideal simulator per run: silicon keeps its state (Mem_Enable, decoders, LSA) across runs. */
async function onFreshSim<T>(link: Link, f: (uri: string) => Promise<T>): Promise<T> {
  const sim = await (link === 'etherbone'
    ? startSim({ kind: 'etherbone', profile: 'ideal', topology: TOPOLOGY })
    : startSim({ kind: 'uartbone', profile: 'ideal', topology: TOPOLOGY, baud: 3_000_000, paced: false }));
  try {
    return await f(sim.uri);
  } finally {
    await sim.close().catch(() => {});
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-hilseq-'));
  s = await createServices({ dbPath: join(dir, 'bench.sqlite'), sequenceModules: [DEMO_SEQUENCES_MODULE] });
  sessionId = (await callApi(s, 'sessions.create', { name: 'every-sequence-ideal' })).id;
  for (const seq of ['enumerate', DEMO_SEQUENCE_ID, 'linux-probe', 'conformance', 'region']) emulated.set(seq, await runOf(seq));
}, 60_000);

afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

const CASES: [string, Link][] = [
  ['enumerate', 'etherbone'],
  ['enumerate', 'uartbone'],
  [DEMO_SEQUENCE_ID, 'etherbone'],
  [DEMO_SEQUENCE_ID, 'uartbone'],
  ['linux-probe', 'etherbone'],
  ['conformance', 'etherbone'],
  ['conformance', 'uartbone'],
  ['region', 'etherbone'],
  ['region', 'uartbone'],
];

describe('every sequence on ideal silicon equals its emulated run', () => {
  it.each(CASES)('%s over %s: compare.run is equal with the default masks', async (seq, link) => {
    const hw = await onFreshSim(link, (uri) => runOf(seq, uri));
    const cmp = await callApi(s, 'compare.run', { runA: emulated.get(seq)!, runB: hw });
    expect(cmp.counts, cmp.firstDivergence?.text).toMatchObject({ valueDiffers: 0, onlyA: 0, onlyB: 0 });
    expect(cmp.equal).toBe(true);
    if (seq === 'conformance') {
      // Not equal by luck: without the default masks the background wait and Get Timestamp do differ.
      const raw = unmaskedDifferences(emulated.get(seq)!, hw);
      expect(raw.some((r) => /Mailbox Status/.test(r)), raw.join('\n')).toBe(true);
      expect(raw.filter((r) => !TIME_DEPENDENT.test(r)), raw.join('\n')).toEqual([]);
    }
  }, 30_000);

  it.each<Link>(['etherbone', 'uartbone'])('region over %s: the memory test\'s accesses are in both traces, on the endpoint', async (link) => {
    const hw = await onFreshSim(link, (uri) => runOf('region', uri));
    for (const id of [emulated.get('region')!, hw]) {
      const mem = await callApi(s, 'trace.page', { runId: id, offset: 0, limit: 10, filter: { space: 'mem' } });
      expect(mem.total).toBeGreaterThan(0);
      expect(mem.rows.every((r) => r.node === EP && r.status === 'ok')).toBe(true);
    }
  }, 30_000);
});
