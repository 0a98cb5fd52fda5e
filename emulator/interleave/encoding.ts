// Interleave Ways (IW / ENIW) and Interleave Granularity (IG / HBIG) encodings, as tables.
// CXL 2.0 8.2.5.12.7 (HDM Decoder n Control: IG [3:0], IW [7:4]) with the 3/6/12-way ECN, and
// CXL 2.0 9.14.1 / ACPI CEDT CFMWS (ENIW, HBIG use the same encodings).
// Invalid encodings return null: callers (decoder commit, topology validation) turn null into their own error.

/** IW encoding -> number of ways. Values absent from this table are invalid. */
export const WAYS_BY_IW: Readonly<Record<number, number>> = {
  0: 1,
  1: 2,
  2: 4,
  3: 8,
  4: 16,
  8: 3,
  9: 6,
  10: 12,
};

/** Every interleave-ways value the spec allows, in encoding order. */
export const VALID_WAYS: readonly number[] = Object.values(WAYS_BY_IW);

const IW_BY_WAYS: ReadonlyMap<number, number> = new Map(Object.entries(WAYS_BY_IW).map(([iw, w]) => [w, Number(iw)]));

/** Smallest and largest granularity: IG 0 (256 B) .. IG 6 (16 KiB). */
export const MIN_GRANULARITY = 256;
export const MAX_IG = 6;
export const MAX_GRANULARITY = MIN_GRANULARITY << MAX_IG;

/** Every granularity the spec allows (256 B .. 16 KiB). */
export const VALID_GRANULARITIES: readonly number[] = Array.from({ length: MAX_IG + 1 }, (_, ig) => MIN_GRANULARITY << ig);

export const waysToIw = (ways: number): number | null => IW_BY_WAYS.get(ways) ?? null;

export const iwToWays = (iw: number): number | null => WAYS_BY_IW[iw] ?? null;

export const isValidWays = (ways: number): boolean => IW_BY_WAYS.has(ways);

/** True for 3, 6, 12: the ways that need the modulo-3 arithmetic (CXL 2.0 3/6/12-way ECN). */
export const isMod3Ways = (ways: number): boolean => ways % 3 === 0;

/** Granularity in bytes -> IG; null unless a power of two in 256 B .. 16 KiB. */
export const granularityToIg = (bytes: number): number | null => {
  const ig = VALID_GRANULARITIES.indexOf(bytes);
  return ig < 0 ? null : ig;
};

/** IG -> granularity in bytes (256 << IG); null for IG > 6 (reserved encodings). */
export const igToGranularity = (ig: number): number | null =>
  Number.isInteger(ig) && ig >= 0 && ig <= MAX_IG ? MIN_GRANULARITY << ig : null;
