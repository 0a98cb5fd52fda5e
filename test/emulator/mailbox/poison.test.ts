import { describe, expect, it } from 'vitest';
import { dpa } from '../../../common/units.js';
import { OP, RC } from '../../../emulator/mailbox/index.js';
import { POISON_LIST_MAX } from '../../../emulator/mailbox/state/poison-list.js';
import { makeDevice, MiB, payload, reader } from './helpers.js';

const listInput = (address: number, units: number) => payload(16, [[0, 8, address], [8, 8, units]]);
const inject = (address: number) => payload(8, [[0, 8, address]]);
const clear = (address: number, fill: number) => {
  const p = payload(0x48, [[0, 8, address]]);
  p.fill(fill, 8);
  return p;
};

function records(out: Uint8Array) {
  const r = reader(out);
  return Array.from({ length: r.u16(0x0a) }, (_, i) => ({
    address: r.u64(0x20 + 16 * i),
    length: r.u32(0x20 + 16 * i + 8),
  }));
}

describe('Inject / Get / Clear Poison', () => {
  it('lists injected poison with source Injected (3) and length in 64-byte units', () => {
    const d = makeDevice();
    expect(d.run(OP.injectPoison, inject(0x1000)).rc).toBe(RC.success);
    expect(d.run(OP.injectPoison, inject(0x2047)).rc).toBe(RC.success); // bits 5:0 ignored
    d.dev.inject.injectPoison(0x8000, 256); // internal, 4 lines
    const { rc, output } = d.run(OP.getPoisonList, listInput(0, (512 * MiB) / 64));
    expect(rc).toBe(RC.success);
    expect(records(output)).toEqual([
      { address: 0x1000 | 3, length: 1 },
      { address: 0x2040 | 3, length: 1 },
      { address: 0x8000 | 2, length: 4 },
    ]);
    expect(reader(output).u8(0)).toBe(0);
    // Only records overlapping the asked range.
    expect(records(d.run(OP.getPoisonList, listInput(0x2000, 2)).output)).toEqual([{ address: 0x2040 | 3, length: 1 }]);
  });

  it('marks memory accesses that touch poison, until Clear Poison writes the line', () => {
    const d = makeDevice();
    d.run(OP.injectPoison, inject(0x4000));
    expect(d.dev.mediaAccess(dpa(0x3fc0), 64)).toBe('ok');
    expect(d.dev.mediaAccess(dpa(0x3fc0), 65)).toBe('poisoned');
    expect(d.dev.poison.overlaps(0x4030, 1)).toBe(true);
    expect(d.run(OP.clearPoison, clear(0x4000, 0x5a)).rc).toBe(RC.success);
    expect(d.dev.mediaAccess(dpa(0x4000), 64)).toBe('ok');
    const b = new Uint8Array(64);
    d.dev.media.read(dpa(0x4000), b);
    expect(b.every((x) => x === 0x5a)).toBe(true);
    expect(records(d.run(OP.getPoisonList, listInput(0, 1024)).output)).toEqual([]);
  });

  it('Clear Poison in the middle of a range splits the record', () => {
    const d = makeDevice();
    d.dev.inject.injectPoison(0x1000, 0x100);
    d.run(OP.clearPoison, clear(0x1040, 0));
    expect(records(d.run(OP.getPoisonList, listInput(0, 1024)).output)).toEqual([
      { address: 0x1000 | 2, length: 1 },
      { address: 0x1080 | 2, length: 2 },
    ]);
  });

  it('rejects addresses beyond the device with Invalid Physical Address', () => {
    const d = makeDevice();
    const end = d.dev.device.totalBytes;
    expect(d.run(OP.injectPoison, inject(end)).rc).toBe(RC.invalidPhysicalAddress);
    expect(d.run(OP.clearPoison, clear(end, 0)).rc).toBe(RC.invalidPhysicalAddress);
    expect(d.run(OP.getPoisonList, listInput(end - 64, 2)).rc).toBe(RC.invalidPhysicalAddress);
    expect(d.run(OP.getScanMediaCapabilities, listInput(0, end / 64 + 1)).rc).toBe(RC.invalidPhysicalAddress);
    expect(d.run(OP.injectPoison, new Uint8Array(9)).rc).toBe(RC.invalidPayloadLength);
    expect(d.run(OP.clearPoison, new Uint8Array(8)).rc).toBe(RC.invalidPayloadLength);
  });

  it('stops mailbox injection at the Identify limit with Inject Poison Limit Reached', () => {
    const d = makeDevice();
    const INJECT_POISON_LIMIT = reader(d.run(OP.identifyMemoryDevice).output).u16(0x3f);
    expect(INJECT_POISON_LIMIT).toBeGreaterThan(0);
    for (let i = 0; i < INJECT_POISON_LIMIT; i++) expect(d.run(OP.injectPoison, inject(i * 128)).rc).toBe(RC.success);
    expect(d.run(OP.injectPoison, inject(INJECT_POISON_LIMIT * 128)).rc).toBe(RC.injectPoisonLimitReached);
    expect(d.run(OP.injectPoison, inject(0)).rc).toBe(RC.success); // already poisoned: nothing new
  });

  it('sets Overflow with a timestamp when more poison exists than the list can hold', () => {
    const d = makeDevice();
    d.run(OP.setTimestamp, payload(8, [[0, 8, 5000]]));
    for (let i = 0; i <= POISON_LIST_MAX; i++) d.dev.inject.injectPoison(i * 128, 64);
    const out = d.run(OP.getPoisonList, listInput(0, (512 * MiB) / 64), 1 << 16).output;
    const r = reader(out);
    expect(r.u8(0) & 2).toBe(2);
    expect(r.u64(2)).toBe(5000);
    expect(r.u16(0x0a)).toBe(POISON_LIST_MAX);
    // The memory path still sees the poison the list could not hold.
    expect(d.dev.mediaAccess(dpa(POISON_LIST_MAX * 128), 64)).toBe('poisoned');
    d.dev.inject.clearPoison(0, 64);
    expect(reader(d.run(OP.getPoisonList, listInput(0, 1024)).output).u8(0) & 2).toBe(0);
  });

  it('pages with More Media Error Records when the payload is too small', () => {
    const d = makeDevice();
    for (let i = 0; i < 20; i++) d.dev.inject.injectPoison(i * 128, 64);
    const seen: number[] = [];
    const flags: number[] = [];
    for (let call = 0; call < 3; call++) {
      const out = d.run(OP.getPoisonList, listInput(0, 1024), 256).output; // 14 records fit
      seen.push(...records(out).map((x) => x.address & ~63));
      flags.push(out[0] & 1);
    }
    expect(flags).toEqual([1, 0, 1]);
    expect(seen.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => i * 128));
  });
});

describe('Scan Media', () => {
  it('estimates time, runs in the background, and reports what it found', () => {
    const d = makeDevice();
    d.dev.inject.injectPoison(0x10000, 64);
    d.dev.inject.injectPoison(0x20000, 128);
    const units = (1 * MiB) / 64;
    const ms = reader(d.run(OP.getScanMediaCapabilities, listInput(0, units)).output).u32(0);
    expect(ms).toBeGreaterThan(0);
    expect(d.run(OP.scanMedia, payload(17, [[0, 8, 0], [8, 8, units]])).rc).toBe(RC.backgroundStarted);
    expect(d.dev.backgroundStatus()).toMatchObject({ running: true, opcode: OP.scanMedia, percent: 0 });
    expect(reader(d.run(OP.getPoisonList, listInput(0, 1024)).output).u8(0) & 4).toBe(4);
    expect(d.run(OP.getScanMediaResults).rc).toBe(RC.busy);
    d.clock.advance(ms * 1_000_000);
    expect(d.dev.backgroundStatus()).toMatchObject({ running: false, opcode: OP.scanMedia, percent: 100, rc: RC.success });
    const out = d.run(OP.getScanMediaResults).output;
    const r = reader(out);
    expect(r.u8(0x10)).toBe(0);
    expect(r.u16(0x12)).toBe(2);
    expect(r.u64(0x20) & ~63).toBe(0x10000);
    expect(r.u32(0x30 + 8)).toBe(2);
    // Scan without the no-event-log flag logs General Media records in the Failure log.
    expect(d.dev.eventStatus() & 0b100).toBe(0b100);
  });

  it('an aborted scan reports stopped prematurely and where to restart', () => {
    const d = makeDevice();
    const units = (4 * MiB) / 64;
    d.run(OP.scanMedia, payload(17, [[0, 8, 0], [8, 8, units], [16, 1, 1]]));
    d.clock.advance(4 * MiB * 0.5);
    expect(d.run(OP.requestAbortBackgroundOperation).rc).toBe(RC.success);
    expect(d.dev.backgroundStatus()).toMatchObject({ running: false, rc: RC.aborted });
    const r = reader(d.run(OP.getScanMediaResults).output);
    expect(r.u8(0x10) & 2).toBe(2);
    expect(r.u64(0)).toBe(2 * MiB);
    expect(r.u64(8)).toBe((2 * MiB) / 64);
    expect(d.dev.eventStatus()).toBe(0);
  });
});
