// Comparing stored runs (DESIGN.md 5): run a comparison, page its hunks, list and reopen saved ones.

import { z } from 'zod';
import { checkMasks } from '../compare/mask-check.js';
import type { CallTable } from './call-def.js';
import { id, limit, offset } from './fields.js';

export type CompareCallName = 'compare.run' | 'compare.hunks' | 'compare.get' | 'compare.list';

export const COMPARE_CALLS: CallTable<CompareCallName> = {
  'compare.run': {
    input: z.strictObject({
      runA: id,
      runB: id,
      masks: z.array(z.string().min(1).max(200), { error: 'must be a list of field names' }).max(100).optional(),
      nodeMap: z.record(z.string().max(200), z.string().max(200), { error: 'must map node names to node names' }).optional(),
      rebase: z.boolean().optional(),
      align: z.enum(['node', 'global'], { error: "must be 'node' or 'global'" }).optional(),
      node: z.string().min(1).max(200).optional(),
    }),
    handler: (s, i) => {
      // A mask that names nothing is refused by name, not silently ignored (issue 15, finding 7).
      checkMasks(i.masks, [i.runA, i.runB].flatMap((r) => (s.store.runs.get(r) ? [s.store.runs.layout(r)] : [])));
      return s.compare.runAsync(i);
    },
  },

  'compare.hunks': {
    input: z.strictObject({ compareId: id, offset, limit: limit(1000) }),
    handler: (s, i) => s.compare.hunksAsync(i.compareId, i.offset, i.limit),
  },

  'compare.get': {
    input: z.strictObject({ compareId: id }),
    handler: (s, i) => s.compare.getAsync(i.compareId),
  },

  'compare.list': {
    input: z.strictObject({ sessionId: id.optional() }),
    handler: (s, i) => s.compare.list(i.sessionId),
  },
};
