// Sizes and addresses in topology files: a JSON number, or a string "0x1000_0000", "268435456", "256MiB",
// "4 GiB", "16K". Returns null for anything else (the validator reports the field).

const UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 2 ** 10,
  kib: 2 ** 10,
  m: 2 ** 20,
  mib: 2 ** 20,
  g: 2 ** 30,
  gib: 2 ** 30,
  t: 2 ** 40,
  tib: 2 ** 40,
};

export const parseByteCount = (v: number | string): number | null => {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : null;
  const s = v.trim().replace(/_/g, '');
  if (/^0x[0-9a-f]+$/i.test(s)) {
    const n = Number.parseInt(s.slice(2), 16);
    return Number.isSafeInteger(n) ? n : null;
  }
  const m = /^(\d+)\s*([a-z]*)$/i.exec(s);
  if (!m) return null;
  const unit = UNITS[m[2].toLowerCase()];
  if (unit === undefined) return null;
  const n = Number(m[1]) * unit;
  return Number.isSafeInteger(n) ? n : null;
};

export const parseSerial = (v: number | string): bigint | null => {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? BigInt(v) : null;
  const s = v.trim().replace(/_/g, '');
  if (!/^(0x[0-9a-f]{1,16}|\d+)$/i.test(s)) return null;
  const n = BigInt(s);
  return n < 2n ** 64n ? n : null;
};

export const hex = (n: number | bigint): string => `0x${n.toString(16)}`;

/** "256 MiB", "4 GiB", "12 KiB", else hex. */
export const formatBytes = (n: number): string => {
  for (const [u, f] of [['TiB', 2 ** 40], ['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) {
    if (n >= f && n % f === 0) return `${n / f} ${u}`;
  }
  return `${n} B`;
};
