import { describe, expect, test } from 'vitest';
import { describeBackend, linkUriProblem, targetsFor } from '../../renderer/src/lib/backend-targets.js';
import { importFormatFor } from '../../renderer/src/lib/import-format.js';

describe('per-endpoint backends', () => {
  test('only endpoints switched to a link become runs.start targets; a map makes it { link, map }', () => {
    expect(targetsFor({ 'hb0.rp0.ep0': { kind: 'emulated' } })).toBeUndefined();
    expect(
      targetsFor({
        'hb0.rp0.ep0': { kind: 'link', uri: ' uartbone:/dev/ttyUSB0@115200 ', map: '' },
        'hb0.rp1.ep0': { kind: 'link', uri: 'etherbone://10.0.0.2:1234', map: 'board.csr.json' },
        'hb0.rp2.ep0': { kind: 'emulated' },
      }),
    ).toEqual({
      'hb0.rp0.ep0': 'uartbone:/dev/ttyUSB0@115200',
      'hb0.rp1.ep0': { link: 'etherbone://10.0.0.2:1234', map: 'board.csr.json' },
    });
  });

  test('a link URI needs a known scheme', () => {
    expect(linkUriProblem('etherbone+udp://192.168.1.50:1234')).toBeNull();
    expect(linkUriProblem('sysfs:0000:3b:00.0')).toBeNull();
    expect(linkUriProblem('')).toMatch(/give a link URI/);
    expect(linkUriProblem('ttyUSB0')).toMatch(/scheme:address/);
    expect(linkUriProblem('serial:/dev/ttyUSB0')).toMatch(/unknown scheme "serial"/);
  });

  test('the tree shows the server backend unless a link was chosen', () => {
    expect(describeBackend(undefined, 'emulated')).toBe('emulated');
    expect(describeBackend({ kind: 'link', uri: 'sysfs:0000:3b:00.0', map: 'm.csv' }, 'emulated')).toBe('sysfs:0000:3b:00.0 (map m.csv)');
  });

  test('an imported file says its format by its extension', () => {
    expect(importFormatFor('boot.log')).toBe('qemu');
    expect(importFormatFor('run-3.JSONL')).toBe('jsonl');
    expect(importFormatFor('a.csv')).toBe('csv');
    expect(importFormatFor('trace.bin')).toBeNull();
  });
});
