import { describe, expect, test } from 'vitest';
import { VIEWS, VIEW_SHORTCUTS, viewKeyFor, type ViewId } from '../../renderer/src/lib/nav.js';
import { EVERYWHERE, GLOBAL_SHORTCUTS, LIST_SHORTCUTS, shortcutFor } from '../../renderer/src/lib/shortcuts.js';
import { brief, footerKeys, helpSections } from '../../renderer/src/lib/key-help.js';

const press = (key: string, extra: Partial<{ ctrlKey: boolean; altKey: boolean; metaKey: boolean; target: EventTarget | null }> = {}) => ({
  key,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  target: null,
  ...extra,
});

describe('view keys: one table for the handlers and the help', () => {
  test('every view key entry with an action is what the view handler gets for each of its keys', () => {
    const withAction = VIEW_SHORTCUTS.filter((s) => s.action);
    expect(withAction.length).toBeGreaterThan(5);
    for (const s of withAction) {
      expect(s.keys?.length).toBeGreaterThan(0);
      for (const k of s.keys!) expect(viewKeyFor(s.view as ViewId, press(k))).toBe(s.action);
    }
  });

  test('a view key does nothing on another view, with a modifier held, or while typing in a field', () => {
    expect(viewKeyFor('compare', press('n'))).toBe('compare.next');
    expect(viewKeyFor('registers', press('n'))).toBeNull();
    expect(viewKeyFor('compare', press('n', { ctrlKey: true }))).toBeNull();
    expect(viewKeyFor('compare', press('j', { target: { tagName: 'input' } as unknown as EventTarget }))).toBeNull();
  });

  test('no key means two things on one view', () => {
    for (const v of VIEWS) {
      const keys = VIEW_SHORTCUTS.filter((s) => s.view === v.id).flatMap((s) => s.keys ?? []);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  test('the help lists every global, list and view key exactly once, each under where it works', () => {
    const sections = helpSections();
    const all = sections.flatMap((s) => s.keys.map((k) => `${s.view}|${k.label}|${k.description}`));
    expect(new Set(all).size).toBe(all.length);
    for (const g of GLOBAL_SHORTCUTS) {
      const where = EVERYWHERE.has(g.action) ? 'all' : 'runs';
      expect(all).toContain(`${where}|${g.label}|${g.description}`);
    }
    for (const l of LIST_SHORTCUTS) expect(all).toContain(`runs|${l.label}|${l.description}`);
    for (const v of VIEW_SHORTCUTS) expect(all).toContain(`${v.view}|${v.label}|${v.description}`);
    expect(all).toHaveLength(GLOBAL_SHORTCUTS.length + LIST_SHORTCUTS.length + VIEW_SHORTCUTS.length);
    // The view switch line names every view and its digit range.
    const sw = sections[0]!.keys.find((k) => k.label.startsWith('Alt+'))!;
    expect(sw.label).toBe(`Alt+${VIEWS[0]!.digit} … Alt+${VIEWS.at(-1)!.digit}`);
    for (const v of VIEWS) expect(sw.description).toContain(v.label);
  });

  test('the replay key is a global key of the runs view and is listed in its footer', () => {
    expect(shortcutFor(press('R'))).toBe('run.replay');
    expect(shortcutFor(press('r'))).toBe('run.start');
    expect(footerKeys('runs').map((k) => k.label)).toContain('R');
  });

  test('each view footer shows that view\'s keys, then help; descriptions cut to their first clause', () => {
    for (const v of VIEWS) {
      const labels = footerKeys(v.id).map((k) => k.label);
      expect(labels.at(-1)).toBe('?');
      if (v.id !== 'runs') expect(labels.slice(0, -1)).toEqual(VIEW_SHORTCUTS.filter((s) => s.view === v.id).map((s) => s.label));
    }
    expect(footerKeys('compare').map((k) => k.label)).toEqual(expect.arrayContaining(['n', 'p', 'j / ↓', 'Enter']));
    expect(brief('replay the selected run (topology, profile), then compare')).toBe('replay the selected run');
    expect(brief('first divergence')).toBe('first divergence');
  });
});
