// The flat row form shared by the CSV and JSON-lines formats: every event as the same columns, access values as
// "0x" hex, mailbox/step records as JSON in `record`, plus decoded columns (register, fields) that export
// fills from a layout and import ignores. `rowToEvent` validates a row and says which column is wrong.

import { REGIONS, SPACES, STATUSES, type Width } from '../../common/access.js';
import type { Layout } from '../../common/layout.js';
import type { MailboxTraceRecord, StepTraceRecord } from '../../common/trace-sink.js';
import { DecodeContext, formatFields } from '../decode.js';
import { formatValue, type TraceEvent } from '../event.js';
import type { BlockResolver } from '../layout-index.js';

export const ROW_COLUMNS = [
  'seq',
  'timeNs',
  'kind',
  'node',
  'space',
  'region',
  'offset',
  'width',
  'op',
  'value',
  'status',
  'record',
  'register',
  'fields',
] as const;
export type Row = Record<(typeof ROW_COLUMNS)[number], string>;

export interface ExportOptions {
  /** Decode register and field columns with this layout. */
  layout?: Layout;
  resolve?: BlockResolver;
}

/** Returns a function turning events (in stream order) into rows; decoding keeps old → new for writes. */
export function rowMaker(opts: ExportOptions = {}): (e: TraceEvent) => Row {
  const ctx = opts.layout && opts.resolve ? new DecodeContext(opts.layout, opts.resolve) : null;
  return (e) => {
    const d = ctx?.decode(e);
    const base = { seq: String(e.seq), timeNs: String(e.timeNs), kind: e.kind, register: d?.register ?? '', fields: d ? formatFields(d.fields) : '' };
    if (e.kind === 'access') {
      return {
        ...base,
        node: e.node,
        space: e.space,
        region: e.region,
        offset: '0x' + e.offset.toString(16),
        width: String(e.width),
        op: e.op,
        value: formatValue(e.value, e.width),
        status: e.status,
        record: '',
      };
    }
    const empty = { space: '', region: '', offset: '', width: '', op: '', value: '', status: '' };
    if (e.kind === 'mailbox') {
      const rec: MailboxTraceRecord = { opcode: e.opcode, name: e.name, returnCode: e.returnCode, returnName: e.returnName, inputHex: e.inputHex, outputHex: e.outputHex };
      return { ...base, ...empty, node: e.node, record: JSON.stringify(rec) };
    }
    const rec: StepTraceRecord = { sequence: e.sequence, name: e.name, verdict: e.verdict, reason: e.reason };
    if (e.evidence !== undefined) rec.evidence = e.evidence;
    return { ...base, ...empty, node: '', record: JSON.stringify(rec) };
  };
}

const HEX = /^0x[0-9a-fA-F]+$/;
const WIDTHS = new Set([1, 2, 4, 8]);
const VERDICTS = new Set(['pass', 'warn', 'fail', 'info']);

/** Validate a row; returns the event or a message naming the bad column. */
export function rowToEvent(r: Partial<Row>): TraceEvent | string {
  const num = (col: keyof Row): number | string => {
    const s = r[col];
    if (s === undefined || s.trim() === '') return `${col} is missing`;
    const n = Number(s);
    return Number.isFinite(n) ? n : `${col} "${s}" is not a number`;
  };
  const seq = num('seq');
  if (typeof seq === 'string') return seq;
  if (!Number.isSafeInteger(seq) || seq < 0) return `seq "${r.seq}" is not a non-negative integer`;
  const timeNs = num('timeNs');
  if (typeof timeNs === 'string') return timeNs;
  if (r.kind === 'access') {
    if (!r.node) return 'node is missing';
    const space = r.space as (typeof SPACES)[number];
    if (!SPACES.includes(space)) return `space "${r.space}" is not one of ${SPACES.join('/')}`;
    const region = r.region as (typeof REGIONS)[number];
    if (!REGIONS.includes(region)) return `region "${r.region}" is not one of ${REGIONS.join('/')}`;
    if (!r.offset || !HEX.test(r.offset)) return `offset "${r.offset ?? ''}" is not 0x-hex`;
    const offset = Number(r.offset);
    if (!Number.isSafeInteger(offset)) return `offset ${r.offset} is too large`;
    const width = Number(r.width);
    if (!WIDTHS.has(width)) return `width "${r.width ?? ''}" is not 1, 2, 4 or 8`;
    if (r.op !== 'R' && r.op !== 'W') return `op "${r.op ?? ''}" is not R or W`;
    if (!r.value || !HEX.test(r.value)) return `value "${r.value ?? ''}" is not 0x-hex`;
    const value = BigInt(r.value);
    if (value >> BigInt(width * 8) !== 0n) return `value ${r.value} does not fit in ${width} bytes`;
    const status = r.status as (typeof STATUSES)[number];
    if (!STATUSES.includes(status)) return `status "${r.status}" is not one of ${STATUSES.join('/')}`;
    return { kind: 'access', seq, timeNs, node: r.node, space, region, offset, width: width as Width, op: r.op, value, status };
  }
  if (r.kind !== 'mailbox' && r.kind !== 'step') return `kind "${r.kind ?? ''}" is not access, mailbox or step`;
  let rec: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(r.record ?? '');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'record is not a JSON object';
    rec = parsed as Record<string, unknown>;
  } catch {
    return `record is not valid JSON`;
  }
  const str = (k: string): string | null => (typeof rec[k] === 'string' ? (rec[k] as string) : null);
  const int = (k: string): number | null => (Number.isInteger(rec[k]) ? (rec[k] as number) : null);
  if (r.kind === 'mailbox') {
    if (!r.node) return 'node is missing';
    const opcode = int('opcode');
    const returnCode = int('returnCode');
    const name = str('name');
    const returnName = str('returnName');
    const inputHex = str('inputHex');
    const outputHex = str('outputHex');
    if (opcode === null || returnCode === null || name === null || returnName === null || inputHex === null || outputHex === null)
      return 'record needs opcode, returnCode (integers) and name, returnName, inputHex, outputHex (strings)';
    return { kind: 'mailbox', seq, timeNs, node: r.node, opcode, name, returnCode, returnName, inputHex, outputHex };
  }
  const sequence = str('sequence');
  const name = str('name');
  const verdict = str('verdict');
  const reason = str('reason');
  if (sequence === null || name === null || reason === null) return 'record needs sequence, name, reason (strings)';
  if (verdict === null || !VERDICTS.has(verdict)) return `record verdict "${String(rec.verdict)}" is not pass/warn/fail/info`;
  const ev: TraceEvent = { kind: 'step', seq, timeNs, sequence, name, verdict: verdict as StepTraceRecord['verdict'], reason };
  if (rec.evidence !== undefined) {
    if (typeof rec.evidence !== 'string') return 'record evidence is not a string';
    ev.evidence = rec.evidence;
  }
  return ev;
}
