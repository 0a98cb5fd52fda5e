// The main window's position and size, remembered between launches in userData/window-bounds.json. A corrupt
// or off-screen record falls back to the default size, centred.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized?: boolean;
}

export const DEFAULT_BOUNDS: WindowBounds = { width: 1400, height: 860 };
const MIN = { width: 800, height: 500 };

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Parse a stored record; anything malformed gives the default. */
export function parseBounds(text: string | null): WindowBounds {
  if (!text) return { ...DEFAULT_BOUNDS };
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    const num = (k: string) => (typeof v[k] === 'number' && Number.isFinite(v[k]) ? (v[k] as number) : undefined);
    const width = num('width');
    const height = num('height');
    if (width === undefined || height === undefined) return { ...DEFAULT_BOUNDS };
    const b: WindowBounds = { width: Math.max(MIN.width, width), height: Math.max(MIN.height, height) };
    const x = num('x');
    const y = num('y');
    if (x !== undefined && y !== undefined) {
      b.x = x;
      b.y = y;
    }
    if (v.maximized === true) b.maximized = true;
    return b;
  } catch {
    return { ...DEFAULT_BOUNDS };
  }
}

/** Drop the position when no display shows at least 100×50 px of the window's title area. */
export function keepOnScreen(b: WindowBounds, displays: readonly Rect[]): WindowBounds {
  if (b.x === undefined || b.y === undefined) return b;
  const visible = displays.some(
    (d) =>
      Math.min(b.x! + b.width, d.x + d.width) - Math.max(b.x!, d.x) >= 100 &&
      Math.min(b.y! + 50, d.y + d.height) - Math.max(b.y!, d.y) >= 50,
  );
  if (visible) return b;
  const { x: _x, y: _y, ...rest } = b;
  return rest;
}

export function loadBounds(file: string): WindowBounds {
  let text: string | null = null;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    text = null;
  }
  return parseBounds(text);
}

export function saveBounds(file: string, b: WindowBounds): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(b));
  } catch {
    // Losing the window position is not worth failing a quit over.
  }
}
