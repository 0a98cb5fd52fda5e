import { describe, expect, test } from 'vitest';
import { parseTraceFilter } from '../../renderer/src/lib/trace-filter.js';

describe('parseTraceFilter', () => {
  test('column keys narrow by column; the rest is free text', () => {
    expect(parseTraceFilter('node:hb0.rp0.ep0 space:mmio op:w status:unclaimed HDM  Decoder')).toEqual({
      node: 'hb0.rp0.ep0', space: 'mmio', op: 'W', status: 'unclaimed', text: 'HDM Decoder',
    });
  });
  test('an empty box is no filter', () => {
    expect(parseTraceFilter('   ')).toEqual({});
  });
  test('an op other than R/W and unknown keys stay as text', () => {
    expect(parseTraceFilter('op:X foo:bar')).toEqual({ text: 'op:X foo:bar' });
  });
});
