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
// region: its memory test writes through the platform's HPA path, which on a hardware node still reaches the
// emulated model (a known limit), so only the endpoint's HDM decoder programming/commit registers are compared.

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
/** region's memory test: on a hardware node its HPA accesses reach the emulated model, whose DVSEC never saw
 * Mem_Enable (the known limit above), so that step fails there and is not part of this comparison. */
const MEMORY_TEST = /^memory test/;
const TOPOLOGY = 'single';

let dir = '';
let s: Services;
let sessionId = 0;
const emulated = new Map<string, number>();

/** Runs `sequence` (on the link `uri`, else emulated) and expects it passed — but for steps named `except`. */
async function runOf(sequence: string, uri?: string, except?: RegExp): Promise<number> {
  const run = await callApi(s, 'runs.start', { sessionId, sequence, topology: TOPOLOGY, ...(uri ? { targets: { [EP]: uri } } : {}) });
  const status = await s.runs.wait(run.id);
  const d = await callApi(s, 'runs.get', { id: run.id });
  const bad = d.steps.filter((x) => x.verdict === 'fail' && !except?.test(x.name)).map((x) => `${x.name}: ${x.reason} [${x.evidence ?? ''}]`);
  const why = `${sequence} on ${uri ?? 'emulator'}: ${d.summary ?? ''}\n${bad.join('\n')}`;
  if (except) expect(bad, why).toEqual([]);
  else expect(status, why).toBe('passed');
  expect(status, why).not.toBe('error');
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
const TIME_DEPENDENT = /Mailbox Status|Background Command Status|bar2 \+0x2[0-9a-f]{2} · R4|mailbox 0x0300/;

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
  for (const seq of ['enumerate', DEMO_SEQUENCE_ID, 'conformance', 'region']) emulated.set(seq, await runOf(seq));
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
  ['conformance', 'etherbone'],
  ['conformance', 'uartbone'],
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

  it.each<Link>(['etherbone', 'uartbone'])('region over %s: HDM decoder programming/commit on the endpoint is equal', async (link) => {
    const hw = await onFreshSim(link, (uri) => runOf('region', uri, MEMORY_TEST));
    const cmp = await callApi(s, 'compare.run', { runA: emulated.get('region')!, runB: hw });
    // The endpoint's HDM Decoder Capability Structure registers (CXL 2.0 8.2.5.12) and the region's commit steps.
    const hdm = cmp.registers.filter((r) => r.register.startsWith(`${EP} · HDM Decoder`) || /region \/ (commit|reset) /.test(r.register));
    expect(hdm.map((r) => r.register)).toContain(`${EP} · HDM Decoder Capability Structure · Decoder 0 Control · W4`);
    for (const r of hdm) expect(r, r.register).toMatchObject({ valueDiffers: 0, onlyA: 0, onlyB: 0 });
  }, 30_000);
});

