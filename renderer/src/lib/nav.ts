// The app's views as data: the navigation tabs, their Alt+digit keys and the help text read this table.

export type ViewId = 'runs' | 'topology' | 'registers' | 'mailbox' | 'compare' | 'links';

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

/** Keys of the bench views, for the help: each works while its view is shown and no field has focus. */
export const VIEW_SHORTCUTS: readonly { view: ViewId | 'all'; label: string; description: string }[] = [
  { view: 'all', label: 'Alt+1 … Alt+6', description: 'switch view (Sessions & runs, Topology, Registers, Mailbox, Compare, Links)' },
  { view: 'all', label: '← / →', description: 'previous / next view (in the tab list)' },
  { view: 'topology', label: 'j / k', description: 'move in the topology tree' },
  { view: 'registers', label: 'r', description: 're-read the block' },
  { view: 'registers', label: 'x', description: 'hex / decimal' },
  { view: 'registers', label: 'e', description: 'edit the selected register value' },
  { view: 'registers', label: 'j / k', description: 'block list / register list movement' },
  { view: 'mailbox', label: '↑ / ↓  Enter', description: 'pick a command from the search' },
  { view: 'mailbox', label: 'Ctrl+Enter', description: 'send' },
  { view: 'compare', label: 'n / p', description: 'next / previous divergence' },
  { view: 'compare', label: 'f', description: 'first divergence' },
];
