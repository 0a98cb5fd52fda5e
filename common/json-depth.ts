// How deep a parsed JSON value nests, checked without recursion. JSON.parse accepts any depth, but what then
// walks the value recursively — a schema validator, JSON.stringify, a topology builder — overflows the stack
// somewhere past a few thousand levels (issue 16: a 5,000-deep topology or JSON line ended "internal: Maximum
// call stack size exceeded"). Input is checked first and refused with the path where it got too deep.

/** Where a value nests deeper than allowed: its field path (shortened) and the limit. */
export interface TooDeep {
  path: string;
  max: number;
  message: string;
}

interface Frame {
  value: unknown;
  depth: number;
  parent: Frame | null;
  key: string | number;
}

/** Path components shown before the "…" of an over-long path. */
const SHOWN = 8;

function pathOf(f: Frame): string {
  const keys: (string | number)[] = [];
  for (let p: Frame | null = f; p && p.parent; p = p.parent) keys.push(p.key);
  keys.reverse();
  const shown = keys.slice(0, SHOWN).reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${k}` : k), '');
  return keys.length > SHOWN ? `${shown}…` : shown;
}

/**
 * The first place `value` has objects or arrays nested more than `max` levels (the value itself is level 1),
 * or null. Visits each node once, with an explicit stack.
 */
export function jsonTooDeep(value: unknown, max: number): TooDeep | null {
  const stack: Frame[] = [{ value, depth: 1, parent: null, key: '' }];
  while (stack.length) {
    const f = stack.pop()!;
    const v = f.value;
    if (typeof v !== 'object' || v === null) continue;
    if (f.depth > max) {
      const path = pathOf(f);
      return { path, max, message: `nested more than ${max} levels deep` };
    }
    if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], depth: f.depth + 1, parent: f, key: i });
    else for (const k of Object.keys(v).reverse()) stack.push({ value: (v as Record<string, unknown>)[k], depth: f.depth + 1, parent: f, key: k });
  }
  return null;
}
