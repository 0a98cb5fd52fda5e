// Traces as CSV (RFC 4180 quoting): one header line, then one line per event with the columns of event-row.ts.
// Export streams (a generator of lines) so 1 M events never become one string.

import type { TraceEvent } from '../event.js';
import { ROW_COLUMNS, rowMaker, rowToEvent, type ExportOptions, type Row } from './event-row.js';
import { TraceImportError, splitLines } from './import-error.js';

export const CSV_HEADER = ROW_COLUMNS.join(',');

const quote = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Yields the header and then one line per event, each ending in "\n". */
export function* exportCsv(events: Iterable<TraceEvent>, opts: ExportOptions = {}): Generator<string> {
  const make = rowMaker(opts);
  yield CSV_HEADER + '\n';
  for (const e of events) {
    const row = make(e);
    let line = '';
    for (let i = 0; i < ROW_COLUMNS.length; i++) line += (i ? ',' : '') + quote(row[ROW_COLUMNS[i]]);
    yield line + '\n';
  }
}

/** Split one CSV line into fields; a string message when the quoting is broken. */
function splitCsvLine(line: string): string[] | string {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let s = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return 'unterminated quoted field';
        s += line.slice(i, q);
        if (line[q + 1] === '"') {
          s += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(s);
      if (i === line.length) return out;
      if (line[i] !== ',') return `unexpected character after quoted field at column ${i + 1}`;
      i++;
    } else {
      const c = line.indexOf(',', i);
      if (c < 0) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, c));
      i = c + 1;
    }
  }
}

/** Parse CSV written by exportCsv. Throws TraceImportError (line number, reason); never returns part. */
export function importCsv(text: string): TraceEvent[] {
  const lines = splitLines(text);
  if (lines.length === 0) throw new TraceImportError(1, 'empty file: expected the header line');
  const header = splitCsvLine(lines[0]);
  if (typeof header === 'string') throw new TraceImportError(1, header);
  const missing = ROW_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) throw new TraceImportError(1, `header lacks column(s) ${missing.join(', ')}`);
  const out: TraceEvent[] = [];
  for (let l = 1; l < lines.length; l++) {
    if (lines[l] === '') continue;
    const fields = splitCsvLine(lines[l]);
    if (typeof fields === 'string') throw new TraceImportError(l + 1, fields);
    if (fields.length !== header.length) throw new TraceImportError(l + 1, `${fields.length} fields, header has ${header.length}`);
    const row: Partial<Row> = {};
    header.forEach((h, i) => ((row as Record<string, string>)[h] = fields[i]));
    const ev = rowToEvent(row);
    if (typeof ev === 'string') throw new TraceImportError(l + 1, ev);
    out.push(ev);
  }
  return out;
}
