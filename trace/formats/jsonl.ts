// Traces as JSON lines: one object per event with the columns of event-row.ts (empty columns left out),
// streaming export, validating import.

import type { TraceEvent } from '../event.js';
import { ROW_COLUMNS, rowMaker, rowToEvent, type ExportOptions, type Row } from './event-row.js';
import { TraceImportError, splitLines } from './import-error.js';
import { jsonTooDeep } from '../../common/json-depth.js';

/** A line is an event row whose `record` is a flat mailbox/step record: nothing legitimate nests deeper. */
const JSONL_MAX_DEPTH = 32;

/** Yields one JSON line per event, each ending in "\n". Numbers stay numbers; the value is "0x" hex. */
export function* exportJsonl(events: Iterable<TraceEvent>, opts: ExportOptions = {}): Generator<string> {
  const make = rowMaker(opts);
  for (const e of events) {
    const row = make(e);
    const o: Record<string, unknown> = { seq: e.seq, timeNs: e.timeNs, kind: e.kind };
    for (const c of ROW_COLUMNS) {
      if (c === 'seq' || c === 'timeNs' || c === 'kind' || row[c] === '') continue;
      o[c] = c === 'width' ? Number(row[c]) : c === 'record' ? JSON.parse(row[c]) : row[c];
    }
    yield JSON.stringify(o) + '\n';
  }
}

/** Parse JSON lines written by exportJsonl. Throws TraceImportError (line number, reason). */
export function importJsonl(text: string): TraceEvent[] {
  const lines = splitLines(text);
  const out: TraceEvent[] = [];
  for (let l = 0; l < lines.length; l++) {
    if (lines[l].trim() === '') continue;
    let o: unknown;
    try {
      o = JSON.parse(lines[l]);
    } catch (e) {
      throw new TraceImportError(l + 1, `not valid JSON (${(e as Error).message})`);
    }
    if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new TraceImportError(l + 1, 'not a JSON object');
    const deep = jsonTooDeep(o, JSONL_MAX_DEPTH);
    if (deep) throw new TraceImportError(l + 1, `${deep.path}: ${deep.message}`);
    const row: Partial<Row> = {};
    for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
      if (!(ROW_COLUMNS as readonly string[]).includes(k)) continue;
      (row as Record<string, string>)[k] = k === 'record' ? JSON.stringify(v) : typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
    }
    const ev = rowToEvent(row);
    if (typeof ev === 'string') throw new TraceImportError(l + 1, ev);
    out.push(ev);
  }
  return out;
}
