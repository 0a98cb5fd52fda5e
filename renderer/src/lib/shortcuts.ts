// Keyboard shortcuts as data: the help dialog lists this table and the global handler reads it.

export type ShortcutAction =
  | 'session.new'
  | 'run.start'
  | 'run.replay'
  | 'trace.filter'
  | 'trace.jump'
  | 'help'
  | 'focus.sessions'
  | 'focus.runs'
  | 'focus.trace';

export interface Shortcut {
  key: string; // KeyboardEvent.key
  label: string; // as shown in the help
  action: ShortcutAction;
  description: string;
}

export const GLOBAL_SHORTCUTS: readonly Shortcut[] = [
  { key: 'n', label: 'n', action: 'session.new', description: 'new session' },
  { key: 'r', label: 'r', action: 'run.start', description: 'start a run in the selected session' },
  { key: 'R', label: 'R', action: 'run.replay', description: 'replay the selected run (topology, profile), then compare' },
  { key: '/', label: '/', action: 'trace.filter', description: 'focus the trace filter' },
  { key: ':', label: ':', action: 'trace.jump', description: 'jump to an event number (seq)' },
  { key: '1', label: '1', action: 'focus.sessions', description: 'focus sessions' },
  { key: '2', label: '2', action: 'focus.runs', description: 'focus runs' },
  { key: '3', label: '3', action: 'focus.trace', description: 'focus trace' },
  { key: '?', label: '?', action: 'help', description: 'show this help' },
];

/** Global keys that work on every view; the others work on the Sessions & runs view (other views own their letters). */
export const EVERYWHERE: ReadonlySet<ShortcutAction> = new Set(['help']);

/** Keys handled by a focused list (sessions, runs, steps, trace rows). */
export const LIST_SHORTCUTS: readonly { label: string; description: string }[] = [
  { label: 'j / ↓', description: 'next item' },
  { label: 'k / ↑', description: 'previous item' },
  { label: 'g / G', description: 'first / last item' },
  { label: 'Enter', description: 'open (step: jump to its trace position)' },
  { label: 'F2 / e', description: 'rename session' },
  { label: 'Delete', description: 'delete session (asks first)' },
  { label: 'x', description: 'cancel the selected running run' },
  { label: 'Esc', description: 'cancel edit or close dialog' },
  { label: 'Tab', description: 'next pane' },
];

/** The global action for a key press, or null when typing in a field or a modifier is held. */
export function shortcutFor(ev: {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  target: EventTarget | null;
}): ShortcutAction | null {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return null;
  if (isEditable(ev.target)) return null;
  return GLOBAL_SHORTCUTS.find((s) => s.key === ev.key)?.action ?? null;
}

export function isEditable(t: EventTarget | null): boolean {
  const el = t as { tagName?: string; isContentEditable?: boolean } | null;
  if (!el || typeof el.tagName !== 'string') return false;
  const tag = el.tagName.toUpperCase();
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable === true;
}

/** Index movement for j/k/g/G/arrows in a list of `length`; null when the key is not a list move. */
export function listMove(key: string, index: number, length: number, pageRows = 20): number | null {
  if (length <= 0) return null;
  const clamp = (i: number) => Math.max(0, Math.min(length - 1, i));
  switch (key) {
    case 'j':
    case 'ArrowDown':
      return clamp(index + 1);
    case 'k':
    case 'ArrowUp':
      return clamp(index - 1);
    case 'g':
    case 'Home':
      return 0;
    case 'G':
    case 'End':
      return length - 1;
    case 'PageDown':
      return clamp(index + pageRows);
    case 'PageUp':
      return clamp(index - pageRows);
    default:
      return null;
  }
}
