import { describe, expect, test } from 'vitest';
import { GLOBAL_SHORTCUTS, listMove, shortcutFor } from '../../renderer/src/lib/shortcuts.js';

const key = (k: string, target: unknown = { tagName: 'DIV' }, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey', boolean>> = {}) => ({
  key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods, target: target as EventTarget,
});

describe('shortcuts', () => {
  test('each global key maps to its action', () => {
    for (const s of GLOBAL_SHORTCUTS) expect(shortcutFor(key(s.key))).toBe(s.action);
    expect(new Set(GLOBAL_SHORTCUTS.map((s) => s.key)).size).toBe(GLOBAL_SHORTCUTS.length);
  });
  test('typing in a field or holding a modifier is never a shortcut', () => {
    expect(shortcutFor(key('n', { tagName: 'INPUT' }))).toBeNull();
    expect(shortcutFor(key('r', { tagName: 'textarea' }))).toBeNull();
    expect(shortcutFor(key('r', { tagName: 'DIV', isContentEditable: true }))).toBeNull();
    expect(shortcutFor(key('r', undefined, { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(key('x'))).toBeNull();
  });
  test('list moves clamp to the list', () => {
    expect(listMove('j', 0, 3)).toBe(1);
    expect(listMove('j', 2, 3)).toBe(2);
    expect(listMove('k', 0, 3)).toBe(0);
    expect(listMove('G', 0, 3)).toBe(2);
    expect(listMove('g', 2, 3)).toBe(0);
    expect(listMove('PageDown', 0, 100, 20)).toBe(20);
    expect(listMove('Enter', 0, 3)).toBeNull();
    expect(listMove('j', 0, 0)).toBeNull();
  });
});
