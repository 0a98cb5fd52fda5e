// Compare masks are checked before a comparison (issue 15, finding 7): a mask that names no field of either run's
// registers is refused naming it — with the nearest block/register/field a user could have meant — instead of
// silently masking nothing. The matching rules are trace/compare/field-masks.ts's: "block.register.field" or
// "register.field" (case-insensitive; block by id or name; '*' matches any one part), or "mailbox.<opcode>".

import type { Layout } from '../../common/layout.js';
import { resolveBlock } from '../../emulator/spec/blocks.js';
import { ApiError } from '../api/api-error.js';

interface FieldName {
  blockId: string;
  blockName: string;
  register: string;
  field: string;
}

function fieldsOf(layouts: readonly Layout[]): FieldName[] {
  const out: FieldName[] = [];
  const seen = new Set<string>();
  for (const layout of layouts)
    for (const node of layout)
      for (const pb of node.blocks) {
        const key = `${pb.block}|${JSON.stringify(pb.params ?? {})}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const decl = resolveBlock(pb.block, pb.params ?? {});
        if (!decl) continue;
        for (const r of decl.registers) for (const f of r.fields) out.push({ blockId: decl.id.toLowerCase(), blockName: decl.name.toLowerCase(), register: r.name.toLowerCase(), field: f.name.toLowerCase() });
      }
  return out;
}

const part = (want: string, have: string): boolean => want === '*' || want === have;

/** The problem with `mask` against these fields, or null when it matches at least one. */
export function maskProblem(mask: string, fields: readonly FieldName[]): string | null {
  const parts = mask.split('.').map((p) => p.trim().toLowerCase());
  if (parts[0] === 'mailbox') {
    if (parts.length === 2 && /^(0x[0-9a-f]{1,4}|\d{1,5})$/.test(parts[1]!) && Number(parts[1]) <= 0xffff) return null;
    return 'a mailbox mask is mailbox.<opcode>, e.g. mailbox.0x4200';
  }
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === ''))
    return 'write block.register.field or register.field (block by id or name, * for any), or mailbox.<opcode>';
  const [block, register, field] = parts.length === 3 ? parts : [undefined, parts[0]!, parts[1]!];
  const hit = fields.some((f) => part(field!, f.field) && part(register!, f.register) && (block === undefined || block === '*' || block === f.blockId || block === f.blockName));
  if (hit) return null;
  // Suggest what exists: fields of that name, or registers of that name, with their block ids.
  const sameField = fields.filter((f) => field !== '*' && f.field === field);
  const sameReg = fields.filter((f) => register !== '*' && f.register === register);
  const hint = sameField.length
    ? ` (field "${field}" is in ${[...new Set(sameField.map((f) => `${f.blockId}.${f.register}`))].slice(0, 3).join(', ')})`
    : sameReg.length
      ? ` (register "${register}" has fields ${[...new Set(sameReg.map((f) => f.field))].slice(0, 6).join(', ')})`
      : '';
  return `matches no field of either run's registers${hint}`;
}

/** Throw 'bad-input' on "masks.<i>" for the first mask that matches nothing in run A's or B's layout. */
export function checkMasks(masks: readonly string[] | undefined, layouts: readonly Layout[]): void {
  if (!masks?.length) return;
  const fields = fieldsOf(layouts);
  if (fields.length === 0) return; // neither run has a layout (an import without topology): nothing to check against
  masks.forEach((m, i) => {
    const why = maskProblem(m, fields);
    if (why) throw new ApiError('bad-input', `compare.run: masks.${i}: "${m}" ${why}`, `masks.${i}`);
  });
}
