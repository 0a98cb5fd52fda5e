import { describe, expect, test } from 'vitest';
import { tabMove, VIEWS, viewForKey } from '../../renderer/src/lib/nav.js';
import { flattenDecoded } from '../../renderer/src/lib/decoded-fields.js';

const key = (k: Partial<Parameters<typeof viewForKey>[0]>) => ({ key: '', altKey: false, ctrlKey: false, metaKey: false, ...k });

describe('view navigation', () => {
  test('Alt+digit picks each view by its digit (by code, so layouts that remap Alt+digit still work)', () => {
    for (const v of VIEWS) {
      expect(viewForKey(key({ key: v.digit, altKey: true }))).toBe(v.id);
      expect(viewForKey(key({ key: '¡', code: `Digit${v.digit}`, altKey: true }))).toBe(v.id);
    }
    expect(viewForKey(key({ key: '2' }))).toBeNull(); // plain digits focus panes on the runs view
    expect(viewForKey(key({ key: '2', altKey: true, ctrlKey: true }))).toBeNull();
    expect(viewForKey(key({ key: '9', altKey: true }))).toBeNull();
  });

  test('arrow keys in the tab list wrap around; Home/End go to the ends', () => {
    const last = VIEWS.at(-1)!.id; // views are added at the end (Links, then Lab)
    expect(tabMove('ArrowRight', last)).toBe('runs');
    expect(tabMove('ArrowLeft', 'runs')).toBe(last);
    expect(tabMove('ArrowRight', 'topology')).toBe('registers');
    expect(tabMove('ArrowRight', 'links')).toBe('lab');
    expect(tabMove('End', 'runs')).toBe(last);
    expect(tabMove('x', 'runs')).toBeNull();
  });

  test('decoded mailbox output flattens to dotted names, integers also in hex', () => {
    expect(flattenDecoded({ count: 1, records: [{ dpa: 8192, source: 2 }], fw: 'X', ok: false, empty: [] })).toEqual([
      { name: 'count', value: '1' },
      { name: 'records.0.dpa', value: '8192 (0x2000)' },
      { name: 'records.0.source', value: 'internal (2)' },
      { name: 'fw', value: 'X' },
      { name: 'ok', value: 'false' },
      { name: 'empty', value: '[]' },
    ]);
  });
});
