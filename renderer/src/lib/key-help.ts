// The keyboard help and the status-bar key hints, generated from the tables the key handlers read
// (GLOBAL_SHORTCUTS + LIST_SHORTCUTS in shortcuts.ts, VIEWS + VIEW_SHORTCUTS in nav.ts): one source of truth.
import { EVERYWHERE, GLOBAL_SHORTCUTS, LIST_SHORTCUTS } from './shortcuts.js';
import { VIEWS, shortcutsOfView, type ViewId } from './nav.js';

export interface KeyLine {
  label: string;
  description: string;
}

export interface KeySection {
  /** The view the keys work on, or 'all'. */
  view: ViewId | 'all';
  title: string;
  keys: KeyLine[];
}

const line = (s: KeyLine): KeyLine => ({ label: s.label, description: s.description });

/** Every key the app handles, by where it works: anywhere, then each view in tab order. */
export function helpSections(): KeySection[] {
  const sections: KeySection[] = [
    {
      view: 'all',
      title: 'Anywhere',
      keys: [...GLOBAL_SHORTCUTS.filter((s) => EVERYWHERE.has(s.action)).map(line), ...shortcutsOfView('all').map(line)],
    },
  ];
  for (const v of VIEWS) {
    const keys =
      v.id === 'runs'
        ? [...GLOBAL_SHORTCUTS.filter((s) => !EVERYWHERE.has(s.action)).map(line), ...LIST_SHORTCUTS.map(line)]
        : shortcutsOfView(v.id).map(line);
    if (keys.length) sections.push({ view: v.id, title: `${v.label} (Alt+${v.digit})`, keys });
  }
  return sections;
}

/** A description cut to its first clause, for the status bar ("first / last item (in a list)" -> "first / last item"). */
export function brief(description: string): string {
  return description.split(/ \(|, | — /)[0]!.trim();
}

/** The status bar's hints on `view`: that view's keys (for the runs view its global ones), then help; descriptions
 * brief (the help has them whole). */
export function footerKeys(view: ViewId): KeyLine[] {
  const own =
    view === 'runs' ? GLOBAL_SHORTCUTS.filter((s) => !EVERYWHERE.has(s.action)) : shortcutsOfView(view);
  return [...own, ...GLOBAL_SHORTCUTS.filter((s) => EVERYWHERE.has(s.action))].map((s) => ({ label: s.label, description: brief(s.description) }));
}
