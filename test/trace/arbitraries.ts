// fast-check generators for trace events (shared by the codec and format tests).
import fc from 'fast-check';
import { REGIONS, SPACES, STATUSES, type Width } from '../../common/access.js';
import type { TraceEvent } from '../../trace/event.js';

export const NODES = ['hb0', 'hb0.rp0', 'hb0.rp0.ep0', 'hb0.rp1.sw0.dsp2.ep1'];

const widthArb = fc.constantFrom<Width>(1, 2, 4, 8);

const accessArb = fc
  .record({
    node: fc.constantFrom(...NODES),
    space: fc.constantFrom(...SPACES),
    region: fc.constantFrom(...REGIONS),
    offset: fc.oneof(fc.integer({ min: 0, max: 0xfff }), fc.integer({ min: 0, max: 2 ** 48 })),
    width: widthArb,
    op: fc.constantFrom<'R' | 'W'>('R', 'W'),
    value: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    status: fc.constantFrom(...STATUSES),
    special: fc.constantFrom('none', 'zero', 'ones'),
  })
  .map(({ special, ...a }) => {
    const mask = (1n << BigInt(8 * a.width)) - 1n;
    const value = special === 'zero' ? 0n : special === 'ones' ? mask : a.value & mask;
    return { kind: 'access' as const, seq: 0, timeNs: 0, ...a, value };
  });

const hex = fc.uint8Array({ maxLength: 16 }).map((b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(''));

const mailboxArb = fc.record({
  kind: fc.constant('mailbox' as const),
  seq: fc.constant(0),
  timeNs: fc.constant(0),
  node: fc.constantFrom(...NODES),
  opcode: fc.integer({ min: 0, max: 0xffff }),
  name: fc.string(),
  returnCode: fc.integer({ min: 0, max: 0x1f }),
  returnName: fc.string(),
  inputHex: hex,
  outputHex: hex,
});

const stepArb = fc.record(
  {
    kind: fc.constant('step' as const),
    seq: fc.constant(0),
    timeNs: fc.constant(0),
    sequence: fc.string(),
    name: fc.string(),
    verdict: fc.constantFrom<'pass' | 'warn' | 'fail' | 'info'>('pass', 'warn', 'fail', 'info'),
    reason: fc.string(),
    evidence: fc.string(),
  },
  { requiredKeys: ['kind', 'seq', 'timeNs', 'sequence', 'name', 'verdict', 'reason'] },
);

const timeArb = fc.oneof(
  fc.integer({ min: 0, max: 2 ** 40 }),
  fc.double({ min: 0, max: 1e12, noNaN: true, noDefaultInfinity: true }),
);

/** Events with dense seq from 0 and arbitrary (even non-monotonic, non-integer) times. */
export const eventsArb = fc
  .array(fc.tuple(fc.oneof({ weight: 8, arbitrary: accessArb }, mailboxArb, stepArb), timeArb, fc.boolean()), {
    maxLength: 60,
  })
  .map((xs) => {
    let t = 0;
    return xs.map(([e, time, sameTime], seq): TraceEvent => {
      if (!sameTime) t = time;
      return { ...e, seq, timeNs: t } as TraceEvent;
    });
  });
