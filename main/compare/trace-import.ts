// trace.import (issue 6): a QEMU log, CSV or JSON-lines text becomes a new run (sequence 'import', status
// 'passed') with its events, its steps and a layout — given by topology name or inferred from the node names —
// so the imported trace decodes and compares like a recorded one. The text is parsed in full before anything
// is written; a malformed line is a 'bad-input' error naming its line number, and nothing is stored.

import type { Width } from '../../common/access.js';
import type { Layout } from '../../common/layout.js';
import { resolveBlock } from '../../emulator/spec/blocks.js';
import { encodeEvents } from '../../trace/chunk-codec.js';
import type { TraceEvent } from '../../trace/event.js';
import { importCsv } from '../../trace/formats/csv.js';
import { TraceImportError } from '../../trace/formats/import-error.js';
import { importJsonl } from '../../trace/formats/jsonl.js';
import { importQemuLog } from '../../trace/formats/qemu-log.js';
import { layoutIndex } from '../../trace/layout-index.js';
import { ApiError } from '../api/api-error.js';
import type { Run, Step, TraceImportInput } from '../api/contract.js';
import type { Store } from '../store/store.js';
import { RunTraceWriter } from '../store/trace-writer.js';
import { QEMU_DEVICE_ROLES, mapQemuDevices, qemuLogForReplay, scanQemuDevices } from '../../host/core/qemu-roles.js';
import { builtinLayout, topologyFor } from './topology-layout.js';

/** QEMU device names (as its pci_cfg trace points print them) → our topology paths in the 'single' topology. */
export const QEMU_DEFAULT_DEVICES: Readonly<Record<string, string>> = {
  'cxl-type3': 'hb0.rp0.ep0',
  'cxl-rp': 'hb0.rp0',
  'pxb-cxl': 'hb0',
};

const CHUNK_EVENTS = 4096;

/** What importQemuLog is given, and the nodes to keep (null: all). */
type QemuPlan = [text: string, map: { devices: Record<string, string> }, keep: ReadonlySet<string> | null];

/**
 * The by-name device map works while each QEMU device type appears once. A log with two functions of one type
 * (two cxl-type3 behind a switch, two cxl-rp) would fold them onto one node, so without an explicit map such a
 * log is mapped by role and position onto the topology instead, each device renamed "<type>@<bdf>"
 * (qemuLogForReplay, which keeps only the mapped devices).
 *
 * cxlOnly (default true): only the devices of a CXL role (host/core/qemu-roles.ts: pxb-cxl, cxl-rp,
 * cxl-upstream/-downstream, cxl-type3) or named in `devices` are kept, with the memory accesses inside BARs
 * they mapped; the chipset (mch 00:00.0), other PCI devices and unclaimed accesses (node 'qemu': RTC, APIC)
 * are left out, as a replay has no such nodes and they would only show as only-in-A divergences. The filter
 * drops parsed events by node rather than lines, so a malformed line is still reported at its line number in
 * the file. cxlOnly false keeps everything.
 */
function qemuPlan(input: TraceImportInput): QemuPlan {
  const cxlOnly = input.cxlOnly ?? true;
  const found = scanQemuDevices(input.text);
  const seen = new Map<string, Set<string>>();
  for (const d of found) (seen.get(d.name) ?? seen.set(d.name, new Set()).get(d.name)!).add(d.bdf);
  if (!input.devices && [...seen.values()].some((bdfs) => bdfs.size > 1)) {
    const mapping = mapQemuDevices(found, builtinLayout(input.topology ?? 'switch4'));
    if (cxlOnly) return [qemuLogForReplay(input.text, mapping), { devices: mapping.devices }, null];
    // Every line kept: the mapped devices by BDF, the others named by their BDF.
    return [input.text, { devices: Object.fromEntries(mapping.mapped.map((d) => [d.bdf, d.node])) }, null];
  }
  const devices = { ...QEMU_DEFAULT_DEVICES, ...input.devices };
  if (!cxlOnly) return [input.text, { devices }, null];
  const keep = new Set<string>();
  for (const d of found) {
    if (!QEMU_DEVICE_ROLES[d.name] && input.devices?.[d.name] === undefined && input.devices?.[d.bdf] === undefined) continue;
    keep.add(devices[d.name] ?? devices[d.bdf] ?? d.bdf); // importQemuLog's lookup: name, then BDF, else the BDF
  }
  return [input.text, { devices }, keep];
}

function parse(input: TraceImportInput): TraceEvent[] {
  try {
    if (input.format === 'csv') return importCsv(input.text);
    if (input.format === 'jsonl') return importJsonl(input.text);
    const [text, map, keep] = qemuPlan(input);
    const events = importQemuLog(text, map);
    return keep ? events.filter((e) => keep.has(e.node)) : events;
  } catch (e) {
    if (e instanceof TraceImportError) throw new ApiError('bad-input', `trace.import: text: ${e.message}`, 'text');
    throw e;
  }
}

/**
 * QEMU's pci_cfg_read/write trace points print no access size, so the importer guesses it from the offset's
 * alignment (an @0x0 read is taken as 4 bytes). Where the layout declares a register starting exactly at that
 * offset, narrower than the guess, and the value fits in it, the register's width is what firmware used (e.g.
 * Vendor ID at 0x0 is read as 16 bits): take it, so the access decodes to that one register.
 */
export function narrowCfgWidths(events: TraceEvent[], layout: Layout): void {
  if (!layout.length) return;
  const idx = layoutIndex(layout, resolveBlock);
  for (const e of events) {
    if (e.kind !== 'access' || e.space !== 'cfg') continue;
    const hit = idx.lookup(e.node, e.region, e.offset);
    if (!hit || hit.base !== e.offset) continue;
    const w = hit.register.width as Width;
    if (w < e.width && e.value >> BigInt(w * 8) === 0n) e.width = w;
  }
}

/** Import `input.text` as a new run of session `input.sessionId`. */
export function importTrace(store: Store, input: TraceImportInput): Run {
  if (!store.sessions.get(input.sessionId))
    throw new ApiError('not-found', `session ${input.sessionId} does not exist`, 'sessionId');
  const events = parse(input);
  const nodes = new Set<string>();
  for (const e of events) if (e.kind !== 'step') nodes.add(e.node);
  const topology = input.topology ?? topologyFor(nodes);
  const layout = topology ? builtinLayout(topology) : [];
  if (input.topology && !layout.length)
    throw new ApiError('bad-input', `trace.import: topology: unknown topology "${input.topology}"`, 'topology');
  if (input.format === 'qemu') narrowCfgWidths(events, layout);
  events.forEach((e, i) => (e.seq = i));

  return store.tx(() => {
    const run = store.runs.create({
      sessionId: input.sessionId,
      sequence: 'import',
      topology: topology ?? 'import',
      targets: `imported ${input.format}`,
      status: 'running',
    });
    const nodeList: string[] = [];
    const nodeIds = new Map<string, number>();
    const nodeIndex = (p: string): number => {
      let i = nodeIds.get(p);
      if (i === undefined) nodeIds.set(p, (i = nodeList.push(p) - 1));
      return i;
    };
    const writer = new RunTraceWriter(store.db, run.id);
    let stepSeq = 0;
    for (let from = 0; from < events.length; from += CHUNK_EVENTS) {
      const part = events.slice(from, from + CHUNK_EVENTS);
      const bytes = encodeEvents(part, nodeIndex);
      const steps: Step[] = [];
      for (const e of part)
        if (e.kind === 'step')
          steps.push({ seq: stepSeq++, name: e.name, verdict: e.verdict, reason: e.reason, evidence: e.evidence ?? null, eventSeq: e.seq });
      writer.write({ chunks: [{ firstSeq: from, count: part.length, bytes }], nodes: [...nodeList], steps });
    }
    store.runs.setLayout(run.id, layout);
    store.runs.finish(run.id, 'passed', `imported ${events.length} events (${input.format})${topology ? `, decoded with topology ${topology}` : ''}`);
    return store.runs.get(run.id)!;
  });
}
