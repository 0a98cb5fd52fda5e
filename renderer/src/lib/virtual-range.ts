// Which rows of a fixed-row-height list are on screen. Browsers cap an element's height (~33 M px in
// Chromium), so past MAX_SCROLL_PX the scroll position maps to rows proportionally instead of 1:1.

export const MAX_SCROLL_PX = 8_000_000;

export interface VirtualWindow {
  /** Height of the spacer that gives the scrollbar its range. */
  spacerPx: number;
  /** First row index drawn. */
  first: number;
  /** Number of rows drawn (visible plus overscan, clipped to total). */
  count: number;
  /** Pixel offset of row `first` inside the spacer. */
  topPx: number;
}

export function virtualWindow(
  total: number,
  rowPx: number,
  scrollTop: number,
  viewportPx: number,
  overscan = 8,
): VirtualWindow {
  const visible = Math.ceil(viewportPx / rowPx) + 1;
  const naturalPx = total * rowPx;
  if (total <= 0) return { spacerPx: 0, first: 0, count: 0, topPx: 0 };
  if (naturalPx <= MAX_SCROLL_PX) {
    const top = Math.max(0, Math.floor(scrollTop / rowPx));
    const first = Math.max(0, Math.min(top - overscan, total - 1));
    const last = Math.min(total, top + visible + overscan);
    return { spacerPx: naturalPx, first, count: Math.max(0, last - first), topPx: first * rowPx };
  }
  // Scaled: the scrollbar's travel (spacer - viewport) spans the rows' travel (total - visible rows).
  const travelPx = Math.max(1, MAX_SCROLL_PX - viewportPx);
  const rowTravel = Math.max(0, total - visible + 1);
  const ratio = Math.min(1, Math.max(0, scrollTop / travelPx));
  const top = Math.min(Math.round(ratio * rowTravel), Math.max(0, total - 1));
  const first = Math.max(0, top - overscan);
  const last = Math.min(total, top + visible + overscan);
  return { spacerPx: MAX_SCROLL_PX, first, count: last - first, topPx: scrollTop - (top - first) * rowPx };
}

/** The scrollTop that puts `row` at the top of the viewport (inverse of virtualWindow). */
export function scrollTopForRow(total: number, rowPx: number, viewportPx: number, row: number): number {
  if (total * rowPx <= MAX_SCROLL_PX) return row * rowPx;
  const visible = Math.ceil(viewportPx / rowPx) + 1;
  const rowTravel = Math.max(1, total - visible + 1);
  const travelPx = Math.max(1, MAX_SCROLL_PX - viewportPx);
  return Math.min(travelPx, (row / rowTravel) * travelPx);
}
