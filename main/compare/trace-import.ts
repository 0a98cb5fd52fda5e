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
import { layoutIndex } from '../../trace/layout-index.js';
import { ApiError } from '../api/api-error.js';
import type { ImportedRun, Step, TraceImportInput, TraceImportReport } from '../api/contract.js';
import type { Store } from '../store/store.js';
import { RunTraceWriter } from '../store/trace-writer.js';
import { QEMU_DEVICE_ROLES } from '../../host/core/qemu-roles.js';
import { qemuDeviceKey, scanQemuDevices } from '../../trace/formats/qemu-devices.js';
import { splitLines } from '../../trace/formats/import-error.js';
import type { Topology } from '../../emulator/topology/types.js';
import { PLATFORM_NODE } from '../../emulator/memory/memory-path.js';
import { BUILTIN_TOPOLOGIES } from '../runs/emulated-endpoints.js';
import { builtinTopologyJson, parseTopologyJson, resolveTopologySource, type TopologyLookup } from '../runs/topology-source.js';
import { importQemuOnto } from './qemu-trace-import.js';
import { builtinLayout, topologyFor, topologyForQemu, topologyLayout } from './topology-layout.js';
import { nodeInterner } from '../store/node-interner.js';

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

const CHUNK_EVENTS = 4096;

/** Where the trace is mapped: the topology given (name or file), else chosen from the trace. */
interface Destination {
  name: string;
  json: string | null;
  topology: Topology | null;
  layout: Layout;
}

function destination(input: TraceImportInput, lookup: TopologyLookup): Destination | null {
  if (input.topology === undefined && input.topologyJson === undefined) return null;
  const src = resolveTopologySource(lookup, { ...(input.topology !== undefined ? { name: input.topology } : {}), ...(input.topologyJson !== undefined ? { json: input.topologyJson } : {}) }, 'trace.import', '');
  return { name: src.name, json: src.json, topology: src.topology, layout: src.topology ? topologyLayout(src.topology) : [] };
}

const builtinDestination = (name: string): Destination => {
  const json = builtinTopologyJson(name);
  const topology = json ? parseTopologyJson(json, 'topology', 'trace.import') : null;
  return { name, json, topology, layout: builtinLayout(name) };
};

const wrap = <T>(f: () => T): T => {
  try {
    return f();
  } catch (e) {
    if (e instanceof TraceImportError) throw new ApiError('bad-input', `trace.import: text: ${e.message}`, 'text');
    throw e;
  }
};

/** A QEMU log: placed on the topology's nodes (qemu-trace-import.ts), every line accounted for. */
function importQemu(input: TraceImportInput, lookup: TopologyLookup): { events: TraceEvent[]; report: TraceImportReport; dest: Destination; exactWidths: boolean } {
  const nodeMap = { ...input.devices, ...input.nodeMap };
  let dest = destination(input, lookup);
  if (!dest) {
    const found = scanQemuDevices(input.text);
    const name = topologyForQemu(found, BUILTIN_TOPOLOGIES);
    if (!name) {
      const roles = found.filter((d) => QEMU_DEVICE_ROLES[d.name]).map(qemuDeviceKey).join(', ');
      throw new ApiError('bad-input', `trace.import: topology: no built-in topology has a node for every CXL device of the log (${roles || 'none found'}); give one (--topology NAME|FILE), or derive it: cxl-bench topology from-qemu LOG|CMDLINE`, 'topology');
    }
    dest = builtinDestination(name);
  }
  const r = wrap(() => importQemuOnto(input.text, dest.topology, dest.layout, { nodeMap, all: input.cxlOnly === false, topologyName: dest.name }));
  narrowCfgWidths(r.guessedWidth.map((i) => r.events[i]), dest.layout);
  return { events: r.events, report: r.report, dest, exactWidths: r.guessedWidth.length === 0 };
}

/** CSV / JSON lines: every line an event (or the header, or blank); every node on the topology or named. */
function importRows(input: TraceImportInput, lookup: TopologyLookup): { events: TraceEvent[]; report: TraceImportReport; dest: Destination | null } {
  const events = wrap(() => (input.format === 'csv' ? importCsv(input.text) : importJsonl(input.text)));
  const lines = splitLines(input.text);
  const blank = lines.filter((l) => l.trim() === '').length;
  const map = input.nodeMap ?? {};
  for (const e of events) if (e.kind !== 'step' && map[e.node] !== undefined) e.node = map[e.node];
  // Devices: nodes of config, MMIO and mailbox events (memory by HPA names where it was seen, not a device).
  const nodes = new Set<string>();
  for (const e of events) if (e.kind === 'mailbox' || (e.kind === 'access' && e.space !== 'mem')) nodes.add(e.node);
  let dest = destination(input, lookup);
  if (!dest) {
    const name = topologyFor(nodes);
    dest = name ? builtinDestination(name) : null;
  }
  if (dest) {
    const known = new Set([...dest.layout.map((n) => n.node), PLATFORM_NODE]);
    const missing = [...nodes].filter((n) => !known.has(n));
    if (missing.length)
      throw new ApiError('bad-input', `trace.import: nodeMap: topology ${dest.name} has no node ${missing.join(', ')} (map each with nodeMap / --node-map NODE=OURS, or give the topology the trace was recorded on)`, 'nodeMap');
  }
  const report: TraceImportReport = {
    format: input.format,
    lines: lines.length,
    imported: events.length,
    folded: 0,
    used: input.format === 'csv' && lines.length > 0 ? 1 : 0,
    blank,
    skipped: {},
    placement: 'names',
    devices: [...nodes].map((n) => ({ device: Object.entries(map).find(([, to]) => to === n)?.[0] ?? n, node: n })),
  };
  return { events, report, dest };
}

const reportText = (r: TraceImportReport): string => {
  const skipped = Object.entries(r.skipped);
  const n = skipped.reduce((a, [, c]) => a + c, 0);
  return `${r.lines} lines: ${r.imported} imported${r.folded ? `, ${r.folded} folded into config cycles` : ''}${r.used ? `, ${r.used} ${r.format === 'qemu' ? 'BAR mappings' : 'header'}` : ''}${r.blank ? `, ${r.blank} blank` : ''}${n ? `, ${n} skipped (${skipped.map(([why, c]) => `${why} ×${c}`).join('; ')})` : ''}`;
};

/** Import `input.text` as a new run of session `input.sessionId`; `lookup` resolves saved topologies. */
export function importTrace(store: Store, input: TraceImportInput, lookup?: TopologyLookup): ImportedRun {
  if (!store.sessions.get(input.sessionId))
    throw new ApiError('not-found', `session ${input.sessionId} does not exist`, 'sessionId');
  const look: TopologyLookup = lookup ?? { hasBuiltin: (n) => BUILTIN_TOPOLOGIES.includes(n), saved: store.topologies };
  const imported = input.format === 'qemu' ? importQemu(input, look) : { ...importRows(input, look), exactWidths: true };
  const { events, report, dest } = imported;
  const topology = dest?.name ?? null;
  const layout = dest?.layout ?? [];
  events.forEach((e, i) => (e.seq = i));

  return store.tx(() => {
    const run = store.runs.create({
      sessionId: input.sessionId,
      sequence: 'import',
      topology: topology ?? 'import',
      // 'imported qemu' tells replay to size config cycles from the declarations (replay-source.ts); a log whose
      // every config cycle had its carrying access (Linux captures) has exact widths and replays them as recorded.
      targets: input.format === 'qemu' && imported.exactWidths ? 'imported qemu, exact widths' : `imported ${input.format}`,
      status: 'running',
      ...(dest?.json ? { topologyJson: dest.json } : {}),
    });
    const { list: nodeList, index: nodeIndex } = nodeInterner();
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
    store.runs.finish(run.id, 'passed', `imported ${events.length} events (${input.format})${topology ? ` onto topology ${topology}` : ''}; ${reportText(report)}`);
    return { ...store.runs.get(run.id)!, report };
  });
}
