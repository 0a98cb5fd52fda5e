// The Timeline view's arithmetic (issue 15), kept out of the component so it is tested: zoom around a point,
// pan, ticks on a readable step, and x <-> time.

export interface Range {
  from: number;
  to: number;
}

/** Zoom `r` by `factor` (< 1 zooms in) keeping time `at` where it is; clamped to [min, max], at least 100 ns wide. */
export function zoomAt(r: Range, at: number, factor: number, min: number, max: number): Range {
  const width = Math.max(100, Math.min(max - min, (r.to - r.from) * factor));
  const k = r.to > r.from ? (at - r.from) / (r.to - r.from) : 0.5;
  let from = at - k * width;
  from = Math.max(min, Math.min(from, max - width));
  return { from, to: from + width };
}

/** Move `r` by `dt` ns, staying inside [min, max]. */
export function pan(r: Range, dt: number, min: number, max: number): Range {
  const w = r.to - r.from;
  const from = Math.max(min, Math.min(r.from + dt, max - w));
  return { from, to: from + w };
}

export const timeAt = (r: Range, x: number, width: number): number => r.from + (x / Math.max(1, width)) * (r.to - r.from);
export const xAt = (r: Range, t: number, width: number): number => ((t - r.from) / Math.max(1, r.to - r.from)) * width;

/** Tick times for an axis about `width` px wide: a 1-2-5 step giving ~ one tick per 90 px. */
export function ticks(r: Range, width: number): number[] {
  const span = r.to - r.from;
  if (span <= 0) return [];
  const raw = span / Math.max(1, width / 90);
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const out: number[] = [];
  for (let t = Math.ceil(r.from / step) * step; t <= r.to; t += step) out.push(t);
  return out;
}
