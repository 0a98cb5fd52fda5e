import { describe, expect, test } from 'vitest';
import { DEFAULT_BOUNDS, keepOnScreen, parseBounds } from '../../main/electron/window-bounds.js';

describe('remembered window bounds', () => {
  test('a stored record round-trips', () => {
    const b = { x: 10, y: 20, width: 1200, height: 700, maximized: true };
    expect(parseBounds(JSON.stringify(b))).toEqual(b);
  });
  test('missing, corrupt or partial records give the default size', () => {
    expect(parseBounds(null)).toEqual(DEFAULT_BOUNDS);
    expect(parseBounds('{not json')).toEqual(DEFAULT_BOUNDS);
    expect(parseBounds('{"x":1}')).toEqual(DEFAULT_BOUNDS);
    expect(parseBounds('{"width":"wide","height":10}')).toEqual(DEFAULT_BOUNDS);
  });
  test('a tiny stored size grows to the minimum', () => {
    expect(parseBounds('{"width":10,"height":10}')).toEqual({ width: 800, height: 500 });
  });
  test('a window left on a display that is gone loses its position, keeps its size', () => {
    const display = { x: 0, y: 0, width: 1920, height: 1080 };
    expect(keepOnScreen({ x: 100, y: 100, width: 800, height: 600 }, [display])).toEqual({ x: 100, y: 100, width: 800, height: 600 });
    expect(keepOnScreen({ x: 2500, y: 100, width: 800, height: 600 }, [display])).toEqual({ width: 800, height: 600 });
    expect(keepOnScreen({ x: 100, y: -400, width: 800, height: 600 }, [display])).toEqual({ width: 800, height: 600 });
  });
});
