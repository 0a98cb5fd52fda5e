import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isDefinedReturnCode } from '../../../emulator/mailbox/return-codes.js';
import { TYPE3_COMMANDS } from '../../../emulator/mailbox/command-table.js';
import { makeDevice } from './helpers.js';

const known = TYPE3_COMMANDS.map((c) => c.opcode);

describe('dispatch never throws', () => {
  it('any opcode and payload returns a defined return code and an output within the payload size', () => {
    // One device for the whole run, so commands act on state earlier commands left behind.
    const d = makeDevice({ lsaBytes: 512 });
    const payloadSizes = [256, 2048];
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...known), fc.integer({ min: 0, max: 0xffff })),
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom(...payloadSizes),
        fc.nat(3_000_000_000),
        (opcode, input, payloadSize, advance) => {
          d.clock.advance(advance % 4 === 0 ? advance : 0);
          const out = d.dev.execute(opcode, input, payloadSize);
          expect(isDefinedReturnCode(out.rc)).toBe(true);
          expect(out.rc).not.toBe(0x0004); // no handler hit an internal error
          expect(out.output.length).toBeLessThanOrEqual(payloadSize);
          expect(out.output).toBeInstanceOf(Uint8Array);
          const s = d.dev.backgroundStatus();
          expect(s.percent).toBeGreaterThanOrEqual(0);
          expect(s.percent).toBeLessThanOrEqual(100);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('well-sized random payloads for every command also never hit an internal error', () => {
    const d = makeDevice({ lsaBytes: 512, partitionableBytes: 512 * 1024 * 1024 });
    fc.assert(
      fc.property(fc.constantFrom(...TYPE3_COMMANDS), fc.uint8Array({ maxLength: 200 }), (cmd, extra) => {
        const len =
          cmd.input.kind === 'variable'
            ? extra.length
            : cmd.input.kind === 'range'
              ? cmd.input.bytes + (extra.length % (cmd.input.max - cmd.input.bytes + 1))
              : cmd.input.bytes + (cmd.input.kind === 'min' ? extra.length % 64 : 0);
        const input = new Uint8Array(len);
        input.set(extra.subarray(0, len));
        const out = d.dev.execute(cmd.opcode, input, 2048);
        expect(isDefinedReturnCode(out.rc)).toBe(true);
        expect(out.rc).not.toBe(0x0004);
        // Clear Event Records' length depends on its handle count, so only it may still answer 0x16.
        if (cmd.opcode !== 0x0101) expect(out.rc).not.toBe(0x0016);
      }),
      { numRuns: 3000 },
    );
  });
});
