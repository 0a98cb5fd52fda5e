// The app's views as data: the navigation tabs, their Alt+digit keys and the help text read this table.
import { isEditable } from './shortcuts.js';

export type ViewId = 'runs' | 'topology' | 'registers' | 'mailbox' | 'compare' | 'links' | 'lab';

export interface ViewEntry {
  id: ViewId;
  label: string;
  /** Alt + this digit switches to the view (plain digits focus panes on the runs view). */
  digit: string;
}

export const VIEWS: readonly ViewEntry[] = [
  { id: 'runs', label: 'Sessions & runs', digit: '1' },
  { id: 'topology', label: 'Topology', digit: '2' },
  { id: 'registers', label: 'Registers', digit: '3' },
  { id: 'mailbox', label: 'Mailbox', digit: '4' },
  { id: 'compare', label: 'Compare', digit: '5' },
  { id: 'links', label: 'Links', digit: '6' },
  { id: 'lab', label: 'Lab', digit: '7' },
];

/** The view an Alt+digit press selects, or null. Uses `code` too: Alt+digit yields other characters on some layouts. */
export function viewForKey(ev: { key: string; code?: string; altKey: boolean; ctrlKey: boolean; metaKey: boolean }): ViewId | null {
  if (!ev.altKey || ev.ctrlKey || ev.metaKey) return null;
  const digit = ev.code?.startsWith('Digit') ? ev.code.slice(5) : ev.key;
  return VIEWS.find((v) => v.digit === digit)?.id ?? null;
}

/** The tab after/before `current` for ArrowRight/ArrowLeft/Home/End in the tab list, or null for other keys. */
export function tabMove(key: string, current: ViewId): ViewId | null {
  const i = VIEWS.findIndex((v) => v.id === current);
  const n = VIEWS.length;
  switch (key) {
    case 'ArrowRight':
      return VIEWS[(i + 1) % n]!.id;
    case 'ArrowLeft':
      return VIEWS[(i - 1 + n) % n]!.id;
    case 'Home':
      return VIEWS[0]!.id;
    case 'End':
      return VIEWS[n - 1]!.id;
    default:
      return null;
  }
}

/** What a view key does; the view's handler dispatches on it (viewKeyFor), so the help cannot drift from it. */
export type ViewKeyAction =
  | 'registers.read'
  | 'registers.radix'
  | 'registers.edit'
  | 'compare.next'
  | 'compare.prev'
  | 'compare.first'
  | 'compare.down'
  | 'compare.up'
  | 'compare.decode';

export interface ViewShortcut {
  view: ViewId | 'all';
  label: string;
  description: string;
  /** KeyboardEvent.key values that trigger `action` (no Ctrl/Alt/Meta, focus not in a field); absent for keys a
   * focused list or field handles itself (listMove, the mailbox search), which the entry only describes. */
  keys?: readonly string[];
  action?: ViewKeyAction;
}

const VIEW_DIGITS = `Alt+${VIEWS[0]!.digit} … Alt+${VIEWS[VIEWS.length - 1]!.digit}`;

/** Keys of the bench views, for the help, the footer and the views' key handlers: each works while its view is
 * shown and no field has focus. */
export const VIEW_SHORTCUTS: readonly ViewShortcut[] = [
  { view: 'all', label: VIEW_DIGITS, description: `switch view (${VIEWS.map((v) => v.label).join(', ')})` },
  { view: 'all', label: '← / →', description: 'previous / next view (in the tab list)' },
  { view: 'topology', label: 'j / k', description: 'move in the topology tree' },
  { view: 'registers', label: 'r', description: 're-read the block', keys: ['r'], action: 'registers.read' },
  { view: 'registers', label: 'x', description: 'hex / decimal', keys: ['x'], action: 'registers.radix' },
  { view: 'registers', label: 'e', description: 'edit the selected register value', keys: ['e'], action: 'registers.edit' },
  { view: 'registers', label: 'j / k', description: 'block list / register list movement' },
  { view: 'mailbox', label: '↑ / ↓  Enter', description: 'pick a command from the search' },
  { view: 'mailbox', label: 'Ctrl+Enter', description: 'send' },
  { view: 'compare', label: 'n', description: 'next divergence', keys: ['n'], action: 'compare.next' },
  { view: 'compare', label: 'p', description: 'previous divergence', keys: ['p'], action: 'compare.prev' },
  { view: 'compare', label: 'f', description: 'first divergence', keys: ['f'], action: 'compare.first' },
  { view: 'compare', label: 'j / ↓', description: 'cursor to the next aligned row', keys: ['j', 'ArrowDown'], action: 'compare.down' },
  { view: 'compare', label: 'k / ↑', description: 'cursor to the previous aligned row', keys: ['k', 'ArrowUp'], action: 'compare.up' },
  { view: 'compare', label: 'Enter', description: "decode the cursor row's fields", keys: ['Enter'], action: 'compare.decode' },
];

/** The view key action of a key press on `view`, or null (modifier held, typing in a field, or not a view key). */
export function viewKeyFor(
  view: ViewId,
  ev: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; target: EventTarget | null },
): ViewKeyAction | null {
  if (ev.ctrlKey || ev.metaKey || ev.altKey || isEditable(ev.target)) return null;
  return VIEW_SHORTCUTS.find((s) => s.view === view && s.keys?.includes(ev.key))?.action ?? null;
}

/** The entries the help and footer show for `view` (its own, then those of every view). */
export function shortcutsOfView(view: ViewId | 'all'): readonly ViewShortcut[] {
  return VIEW_SHORTCUTS.filter((s) => s.view === view);
}
