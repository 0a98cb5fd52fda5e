// The trace filter box: `node:hb0.rp0 space:mmio op:W status:unclaimed` narrow by column, anything else is
// free text the server matches against the decoded register/field/value columns.
import type { TraceFilter } from '../../../main/api/contract.js';

const KEYS = ['node', 'space', 'op', 'status'] as const;
type Key = (typeof KEYS)[number];

export function parseTraceFilter(text: string): TraceFilter {
  const filter: TraceFilter = {};
  const free: string[] = [];
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const m = /^([a-z]+):(.+)$/i.exec(word);
    const key = m?.[1]?.toLowerCase() as Key | undefined;
    if (m && key && (KEYS as readonly string[]).includes(key)) {
      const value = m[2]!;
      if (key === 'op') {
        const op = value.toUpperCase();
        if (op === 'R' || op === 'W') filter.op = op;
        else free.push(word);
      } else filter[key] = value;
    } else free.push(word);
  }
  if (free.length) filter.text = free.join(' ');
  return filter;
}
