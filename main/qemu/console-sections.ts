// The guest console as the init script structured it (guest-init.ts): marker lines ("@@CXLBENCH word …") and
// sections between "@@CXLBENCH begin NAME" and "@@CXLBENCH end NAME" (cxl-list, region-out,
// cxl-list-regions, dmesg). Console lines may end in CR (serial) and kernel messages may interleave.

import { MARK } from './guest-init.js';

export interface ConsoleMarker {
  /** Line number in the console (1-based). */
  line: number;
  word: string;
  args: string[];
  /** key=value arguments. */
  kv: Record<string, string>;
}

export interface ConsoleSections {
  markers: ConsoleMarker[];
  sections: Map<string, string[]>;
}

export function readConsole(text: string): ConsoleSections {
  const markers: ConsoleMarker[] = [];
  const sections = new Map<string, string[]>();
  let open: { name: string; lines: string[] } | null = null;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const at = line.indexOf(MARK + ' ');
    if (at >= 0) {
      const words = line.slice(at + MARK.length + 1).trim().split(/\s+/);
      const [word, ...args] = words;
      if (word === 'begin' && args[0]) {
        open = { name: args[0], lines: [] };
        return;
      }
      if (word === 'end' && open && args[0] === open.name) {
        sections.set(open.name, open.lines);
        open = null;
        return;
      }
      const kv: Record<string, string> = {};
      for (const a of args) {
        const eq = a.indexOf('=');
        if (eq > 0) kv[a.slice(0, eq)] = a.slice(eq + 1);
      }
      markers.push({ line: i + 1, word, args, kv });
      return;
    }
    if (open) (open as { lines: string[] }).lines.push(line);
  });
  if (open) sections.set((open as { name: string }).name, (open as { lines: string[] }).lines); // cut off (guest hung or killed)
  return { markers, sections };
}

/** The JSON `cxl list` printed in a section (warnings may come before it); null when none parses. */
export function sectionJson(lines: readonly string[] | undefined): unknown {
  if (!lines) return null;
  const start = lines.findIndex((l) => /^\s*[[{]/.test(l));
  if (start < 0) return null;
  for (let end = lines.length; end > start; end--) {
    if (!/^\s*[\]}]\s*$/.test(lines[end - 1])) continue;
    try {
      return JSON.parse(lines.slice(start, end).join('\n'));
    } catch {
      /* try a shorter prefix */
    }
  }
  return null;
}
