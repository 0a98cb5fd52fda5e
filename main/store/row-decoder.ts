// Register and field names for trace rows, from a run's stored layout and the emulator's block declarations
// (emulator/spec/blocks.ts, the one source of truth for layouts — DESIGN.md 5). Built once per run: the layout
// index is a binary search per (node, region). Stateless per row, so random pages decode the same way.

import type { Layout } from '../../common/layout.js';
import { resolveBlock } from '../../emulator/spec/blocks.js';
import { decodeEvent, formatFields } from '../../trace/decode.js';
import { layoutIndex } from '../../trace/layout-index.js';
import type { RowDecoder } from './trace-rows.js';
import { noDecode } from './trace-rows.js';

export function layoutDecoder(layout: Layout): RowDecoder {
  if (layout.length === 0) return noDecode;
  const idx = layoutIndex(layout, resolveBlock);
  return (ev) => {
    const d = decodeEvent(ev, idx, resolveBlock);
    return { register: d.block ? `${d.block} · ${d.register}` : d.register, fields: formatFields(d.fields) };
  };
}
