import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../trace/event.js';
import { exportCsv, exportJsonl, exportVcd, importCsv, importJsonl, TraceImportError } from '../../trace/formats/index.js';
import { eventsArb } from './arbitraries.js';
import { acc, layoutFor, renumber, resolve } from './fixtures.js';

const join = (g: Iterable<string>): string => [...g].join('');

function importError(f: () => unknown): TraceImportError {
  try {
    f();
  } catch (e) {
    if (e instanceof TraceImportError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('CSV and JSON lines', () => {
  it('round-trip any events through CSV', () => {
    fc.assert(fc.property(eventsArb, (evs) => {
      expect(importCsv(join(exportCsv(evs)))).toEqual(evs);
    }), { numRuns: 200 });
  });

  it('round-trip any events through JSON lines', () => {
    fc.assert(fc.property(eventsArb, (evs) => {
      expect(importJsonl(join(exportJsonl(evs)))).toEqual(evs);
    }), { numRuns: 200 });
  });

  it('export decoded register and field columns, streaming one line per event', () => {
    const evs = renumber([acc('ep0', 'bar2', 0x84, 'R', 2n), acc('ep0', 'bar2', 0x84, 'W', 3n)]);
    const lines = [...exportCsv(evs, { layout: layoutFor('ep0'), resolve })];
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe(`1,20,access,ep0,mmio,bar2,0x84,4,W,0x00000003,ok,,Control,"Doorbell=0→1, IntEnable=1"\n`);
    const j = JSON.parse([...exportJsonl(evs, { layout: layoutFor('ep0'), resolve })][0]);
    expect(j).toMatchObject({ register: 'Control', fields: 'Doorbell=0, IntEnable=1', value: '0x00000002', width: 4 });
    // Decoded columns are ignored on import.
    expect(importCsv(lines.join(''))).toEqual(evs);
  });

  it('name the line and the problem of malformed CSV, returning nothing', () => {
    const good = join(exportCsv(renumber([acc('ep0', 'cfg', 0, 'R', 1n), acc('ep0', 'cfg', 4, 'R', 2n)])));
    const lines = good.split('\n');
    const bad = (i: number, line: string): string => lines.map((l, k) => (k === i ? line : l)).join('\n');
    expect(importError(() => importCsv(bad(2, lines[2].replace(',R,', ',X,')))).line).toBe(3);
    expect(importError(() => importCsv(bad(2, lines[2].replace(',R,', ',X,')))).message).toMatch(/line 3: op "X"/);
    expect(importError(() => importCsv(bad(1, lines[1].replace('0x00000001', '0x1ffffffff')))).message).toMatch(/line 2: value .* does not fit in 4 bytes/);
    expect(importError(() => importCsv(bad(1, lines[1].replace('mmio', 'x').replace(',cfg,cfg,', ',disk,cfg,')))).message).toMatch(/line 2: space "disk"/);
    expect(importError(() => importCsv(bad(2, '1,2,3'))).message).toMatch(/line 3: 3 fields/);
    expect(importError(() => importCsv('seq,kind\n')).message).toMatch(/line 1: header lacks/);
    expect(importError(() => importCsv(bad(2, lines[2] + ',"open'))).message).toMatch(/line 3: unterminated/);
  });

  it('name the line and the problem of malformed JSON lines', () => {
    const good = join(exportJsonl(renumber([acc('ep0', 'cfg', 0, 'R', 1n), acc('ep0', 'cfg', 4, 'R', 2n)])));
    const [l1] = good.split('\n');
    expect(importError(() => importJsonl(`${l1}\n{not json`)).message).toMatch(/line 2: not valid JSON/);
    expect(importError(() => importJsonl(`${l1}\n${l1.replace('"width":4', '"width":3')}`)).message).toMatch(/line 2: width "3"/);
    expect(importError(() => importJsonl(`${l1}\n{"seq":1,"timeNs":0,"kind":"step","record":{"sequence":"s"}}`)).message).toMatch(
      /line 2: record needs/,
    );
  });
});

describe('VCD', () => {
  const evs: TraceEvent[] = renumber([
    acc('ep0', 'bar2', 0x84, 'W', 1n),
    acc('ep0', 'bar2', 0x94, 'R', 0x1n), // upper half of the 8-byte Status register
    acc('ep0', 'bar2', 0x40, 'R', 0xabn),
    acc('ep0', 'hpa', 0x1000, 'W', 5n, 8),
    { kind: 'step', seq: 0, timeNs: 55, sequence: 's', name: 'n', verdict: 'pass', reason: '' },
    acc('ep0', 'bar2', 0x84, 'W', 0n),
  ]);
  const vcd = join(exportVcd(evs, { layout: layoutFor('ep0'), resolve }));

  it('declares one signal per register touched, scoped by node and region', () => {
    const vars = vcd.match(/\$var wire \d+ \S+ \S+ \$end/g)!;
    expect(vars.map((v) => v.split(' ').slice(2, 5).join(' '))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^32 \S+ Control$/), expect.stringMatching(/^64 \S+ Status$/), expect.stringMatching(/^32 \S+ off_0x40$/)]),
    );
    expect(vars).toHaveLength(5); // Control, Status, off_0x40, hpa address + data
    expect(vcd).toMatch(/\$scope module ep0 \$end\n\$scope module bar2 \$end\n(.*\n)?\$scope module Mailbox \$end\n\$var wire 32 \S+ Control/);
    expect(vcd).toMatch(/\$scope module hpa \$end\n\$var wire 64 \S+ address \$end\n\$var wire 64 \S+ data \$end/);
    // Every $scope is closed.
    expect(vcd.match(/\$scope/g)!.length).toBe(vcd.match(/\$upscope/g)!.length);
    expect(vcd.indexOf('$enddefinitions $end')).toBeLessThan(vcd.indexOf('#10'));
  });

  it('records value changes at event times, merging partial accesses', () => {
    const id = (name: string): string => new RegExp(`\\$var wire \\d+ (\\S+) ${name} \\$end`).exec(vcd)![1];
    expect(vcd).toContain(`#10\nb1 ${id('Control')}\n`);
    expect(vcd).toContain(`#20\nb${(1n << 32n).toString(2)} ${id('Status')}\n`);
    expect(vcd).toContain(`b0 ${id('Control')}\n`);
    const times = [...vcd.matchAll(/^#(\d+)$/gm)].map((m) => Number(m[1]));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});
