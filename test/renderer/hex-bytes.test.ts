import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { bytesToHex, hexDump, parseHexBytes } from '../../renderer/src/lib/hex-bytes.js';

describe('mailbox payload hex', () => {
  test('any bytes survive hex text and back, whatever separators the user typed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.constantFrom('', ' ', ', ', '\n', ' 0x'), (bytes, sep) => {
        const text = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(sep);
        const r = parseHexBytes(sep === ' 0x' && text ? '0x' + text : text);
        expect(r.ok).toBe(true);
        if (r.ok) expect(bytesToHex(r.bytes)).toBe(bytesToHex(bytes));
      }),
    );
  });

  test('a stray odd digit or a non-hex character is an error naming its column', () => {
    expect(parseHexBytes('00 1')).toEqual({ ok: false, error: 'column 4: "1" lacks its second digit (odd number of digits)' });
    expect(parseHexBytes('00 zz')).toEqual({ ok: false, error: 'column 4: expected a hex digit, found "z"' });
    expect(parseHexBytes('0g')).toEqual({ ok: false, error: 'column 2: expected a hex digit, found "g"' });
  });

  test('empty text is an empty payload', () => {
    const r = parseHexBytes('  ');
    expect(r.ok && r.bytes.length).toBe(0);
  });

  test('the dump has 16 bytes a line with offsets and printable ASCII', () => {
    const text = bytesToHex(new TextEncoder().encode('CXLBENCH FW 1.0\u0000\u0001\u0002'));
    const lines = hexDump(text);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({ offset: '0000', hex: '43 58 4c 42 45 4e 43 48 20 46 57 20 31 2e 30 00', ascii: 'CXLBENCH FW 1.0.' });
    expect(lines[1]).toEqual({ offset: '0010', hex: '01 02', ascii: '..' });
  });
});
