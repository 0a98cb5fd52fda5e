// Trace events as the API's rows (main/api/contract.ts TraceRow) and the trace.page filter over them.

import type { TraceEvent } from '../../trace/event.js';
import { formatValue } from '../../trace/event.js';
import type { TraceFilter, TraceRow } from '../api/contract.js';

/** Register/field names for an access, from the run's layout (empty strings when unknown). */
export type RowDecoder = (ev: TraceEvent) => { register: string; fields: string };

export const noDecode: RowDecoder = () => ({ register: '', fields: '' });

const hex = (n: number, digits: number): string => '0x' + n.toString(16).padStart(digits, '0');

export function eventToRow(ev: TraceEvent, decode: RowDecoder): TraceRow {
  if (ev.kind === 'access') {
    const d = decode(ev);
    return {
      seq: ev.seq,
      timeNs: ev.timeNs,
      node: ev.node,
      kind: 'access',
      space: ev.space,
      region: ev.region,
      offset: ev.offset,
      width: ev.width,
      op: ev.op,
      value: formatValue(ev.value, ev.width),
      status: ev.status,
      register: d.register,
      fields: d.fields,
    };
  }
  if (ev.kind === 'mailbox') {
    return {
      seq: ev.seq,
      timeNs: ev.timeNs,
      node: ev.node,
      kind: 'mailbox',
      space: '',
      region: '',
      offset: ev.opcode,
      width: 0,
      op: '',
      value: `${ev.name} (${hex(ev.opcode, 4)}) -> ${ev.returnName}`,
      status: ev.returnName,
      register: ev.name,
      fields: `in=${ev.inputHex || '-'} out=${ev.outputHex || '-'}`,
    };
  }
  return {
    seq: ev.seq,
    timeNs: ev.timeNs,
    node: '',
    kind: 'step',
    space: '',
    region: '',
    offset: 0,
    width: 0,
    op: '',
    value: ev.name,
    status: ev.verdict,
    register: ev.sequence,
    fields: ev.evidence ? `${ev.reason} | ${ev.evidence}` : ev.reason,
  };
}

export const isEmptyFilter = (f: TraceFilter | undefined): boolean =>
  !f || (!f.node && !f.space && !f.op && !f.status && !f.text);

/**
 * A predicate for rows. node matches the path or anything below it ("hb0.rp0" matches "hb0.rp0.ep0"); space,
 * op and status match exactly; text is a case-insensitive substring of node, value, status, register, fields.
 */
export function rowFilter(f: TraceFilter): (r: TraceRow) => boolean {
  const text = f.text?.toLowerCase();
  return (r) => {
    if (f.node && r.node !== f.node && !r.node.startsWith(f.node + '.')) return false;
    if (f.space && r.space !== f.space) return false;
    if (f.op && r.op !== f.op) return false;
    if (f.status && r.status !== f.status) return false;
    if (text) {
      const hay = `${r.node}\u0000${r.value}\u0000${r.status}\u0000${r.register}\u0000${r.fields}`.toLowerCase();
      if (!hay.includes(text)) return false;
    }
    return true;
  };
}

/**
 * The same predicate as rowFilter on the event itself, for filters without text (no row building or register
 * decode per event, so scanning a long run stays cheap). Null when the filter needs the decoded row.
 */
export function eventFilter(f: TraceFilter): ((e: TraceEvent) => boolean) | null {
  if (f.text) return null;
  return (e) => {
    const node = e.kind === 'step' ? '' : e.node;
    if (f.node && node !== f.node && !node.startsWith(f.node + '.')) return false;
    if (f.space && (e.kind === 'access' ? e.space : '') !== f.space) return false;
    if (f.op && (e.kind !== 'access' || e.op !== f.op)) return false;
    if (f.status && (e.kind === 'access' ? e.status : e.kind === 'mailbox' ? e.returnName : e.verdict) !== f.status) return false;
    return true;
  };
}
