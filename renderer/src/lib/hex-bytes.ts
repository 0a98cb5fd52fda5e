// Mailbox payloads as the console edits and shows them: hex text <-> bytes, and a 16-bytes-per-line dump.

export type HexParse = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

/**
 * Parse payload text: hex digit pairs, optionally separated by spaces, commas or newlines, each optionally
 * prefixed by "0x". Empty text is an empty payload. A stray odd digit or a non-hex character is an error that
 * names its 1-based column, so the console can point at it.
 */
export function parseHexBytes(text: string): HexParse {
  const out: number[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/[\s,]/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X')) {
      i += 2;
      continue;
    }
    const pair = text.slice(i, i + 2);
    if (!/^[0-9a-fA-F]{2}$/.test(pair)) {
      const bad = /^[0-9a-fA-F]/.test(pair) ? i + 1 : i;
      if (bad >= text.length) return { ok: false, error: `column ${i + 1}: "${ch}" lacks its second digit (odd number of digits)` };
      return { ok: false, error: `column ${bad + 1}: expected a hex digit, found "${text[bad]}"` };
    }
    out.push(parseInt(pair, 16));
    i += 2;
  }
  return { ok: true, bytes: Uint8Array.from(out) };
}

export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export interface DumpLine {
  offset: string;
  hex: string;
  ascii: string;
}

/** A hex dump of `hex` (plain digit string as the API returns it), `perLine` bytes a line. */
export function hexDump(hex: string, perLine = 16): DumpLine[] {
  const parsed = parseHexBytes(hex);
  if (!parsed.ok) return [];
  const b = parsed.bytes;
  const lines: DumpLine[] = [];
  for (let at = 0; at < b.length; at += perLine) {
    const chunk = b.subarray(at, at + perLine);
    const hexCols = Array.from(chunk, (x) => x.toString(16).padStart(2, '0'));
    lines.push({
      offset: at.toString(16).padStart(4, '0'),
      hex: hexCols.join(' '),
      ascii: Array.from(chunk, (x) => (x >= 0x20 && x < 0x7f ? String.fromCharCode(x) : '.')).join(''),
    });
  }
  return lines;
}
