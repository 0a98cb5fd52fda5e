import { describe, expect, it, vi } from 'vitest';
import { dpa } from '../../../common/units.js';
import { EFFECT, OP, RC } from '../../../emulator/mailbox/index.js';
import { TYPE3_COMMANDS } from '../../../emulator/mailbox/command-table.js';
import { makeDevice, payload } from './helpers.js';

/** Run until the background operation finishes, in 1 ms virtual steps; returns the steps taken. */
function runToCompletion(d: ReturnType<typeof makeDevice>): number {
  let steps = 0;
  while (d.dev.backgroundStatus().running && steps < 1_000_000) {
    d.clock.advance(1_000_000);
    steps++;
  }
  return steps;
}

describe('Sanitize', () => {
  it('runs in the background with progress from the virtual clock, media disabled, then data really erased', () => {
    const d = makeDevice();
    d.dev.media.write(dpa(0x1234), Uint8Array.of(1, 2, 3));
    d.dev.media.write(dpa(300 * 1024 * 1024), Uint8Array.of(9));
    d.dev.lsa.set([7, 7], 0);
    d.dev.inject.injectPoison(0x4000, 64);
    const done = vi.fn();
    d.dev.setNotifier({ backgroundComplete: done });
    expect(d.run(OP.sanitize).rc).toBe(RC.backgroundStarted);
    expect(d.dev.mediaStatus()).toBe(3);
    expect(d.dev.mediaAccess(dpa(0), 64)).toBe('media-disabled');
    const s0 = d.dev.backgroundStatus();
    expect(s0).toMatchObject({ running: true, opcode: OP.sanitize, percent: 0 });
    d.clock.advance(250_000_000); // 0.25 s of ~0.5 s
    const p = d.dev.backgroundStatus().percent;
    expect(p).toBeGreaterThan(30);
    expect(p).toBeLessThan(70);
    runToCompletion(d);
    expect(d.dev.backgroundStatus()).toEqual({ running: false, opcode: OP.sanitize, percent: 100, rc: RC.success, vendorStatus: 0 });
    expect(done).toHaveBeenCalledTimes(1);
    expect(d.dev.mediaStatus()).toBe(1);
    const b = new Uint8Array(3);
    d.dev.media.read(dpa(0x1234), b);
    expect([...b]).toEqual([0, 0, 0]);
    d.dev.media.read(dpa(300 * 1024 * 1024), b);
    expect(b[0]).toBe(0);
    expect(d.dev.lsa[0]).toBe(0);
    expect(d.dev.poison.size).toBe(0);
  });

  it('a second background command while one runs is Busy; so are media commands; reads still answer', () => {
    const d = makeDevice();
    d.run(OP.sanitize);
    expect(d.run(OP.sanitize).rc).toBe(RC.busy);
    expect(d.run(OP.scanMedia, payload(17, [[8, 8, 1]])).rc).toBe(RC.mediaDisabled);
    expect(d.run(OP.injectPoison, payload(8)).rc).toBe(RC.mediaDisabled);
    expect(d.run(OP.getLsa, payload(8, [[4, 4, 4]])).rc).toBe(RC.mediaDisabled);
    expect(d.run(OP.setPassphrase, new Uint8Array(0x60)).rc).toBe(RC.busy);
    expect(d.run(OP.identifyMemoryDevice).rc).toBe(RC.success);
    expect(d.run(OP.getHealthInfo).rc).toBe(RC.success);
    expect(d.run(OP.getTimestamp).rc).toBe(RC.success);
  });

  it('aborted sanitize leaves the media disabled until a sanitize completes', () => {
    const d = makeDevice();
    d.run(OP.sanitize);
    d.clock.advance(1_000_000);
    expect(d.run(OP.requestAbortBackgroundOperation).rc).toBe(RC.success);
    expect(d.dev.backgroundStatus()).toMatchObject({ running: false, rc: RC.aborted });
    expect(d.dev.mediaStatus()).toBe(3);
    expect(d.run(OP.getPoisonList, payload(16, [[8, 8, 1]])).rc).toBe(RC.mediaDisabled);
    expect(d.run(OP.sanitize).rc).toBe(RC.backgroundStarted);
    runToCompletion(d);
    expect(d.dev.mediaStatus()).toBe(1);
  });

  it('refuses with Invalid Security State while a user passphrase is set', () => {
    const d = makeDevice();
    const p = new Uint8Array(0x60);
    p[0] = 1;
    p.fill(0x41, 0x40);
    expect(d.run(OP.setPassphrase, p).rc).toBe(RC.success);
    expect(d.run(OP.sanitize).rc).toBe(RC.invalidSecurityState);
    expect(d.run(OP.secureErase).rc).toBe(RC.invalidSecurityState);
  });
});

describe('Busy while a background operation runs', () => {
  it('every background command and every command marked busy answers Busy during a scan; after it, none does', () => {
    const d = makeDevice();
    expect(d.run(OP.scanMedia, payload(17, [[8, 8, 1 << 14]])).rc).toBe(RC.backgroundStarted);
    const busy = TYPE3_COMMANDS.filter((c) => c.duringBackground === 'busy' || c.effects & EFFECT.backgroundOperation);
    expect(busy.length).toBeGreaterThan(10);
    const sized = (c: (typeof TYPE3_COMMANDS)[number]) => new Uint8Array(c.input.kind === 'variable' ? 0 : c.input.bytes);
    for (const c of busy) expect(d.run(c.opcode, sized(c)).rc, c.name).toBe(RC.busy);
    expect(d.dev.backgroundStatus().running).toBe(true);
    d.clock.advance(1 << 20);
    expect(d.dev.backgroundStatus().running).toBe(false);
    expect(d.run(OP.getScanMediaResults).rc).toBe(RC.success);
  });
});

describe('Secure Erase', () => {
  it('erases all data in the background and cannot be aborted', () => {
    const d = makeDevice();
    d.dev.media.write(dpa(64), Uint8Array.of(5));
    d.dev.lsa[0] = 3;
    expect(d.run(OP.secureErase).rc).toBe(RC.backgroundStarted);
    expect(d.dev.mediaStatus()).toBe(3);
    expect(d.run(OP.requestAbortBackgroundOperation).rc).toBe(RC.abortNotSupported);
    expect(d.run(OP.sanitize).rc).toBe(RC.busy);
    runToCompletion(d);
    expect(d.dev.backgroundStatus()).toMatchObject({ opcode: OP.secureErase, rc: RC.success, percent: 100 });
    const b = new Uint8Array(1);
    d.dev.media.read(dpa(64), b);
    expect(b[0]).toBe(0);
    expect(d.dev.lsa[0]).toBe(3); // LSA is not user data for secure erase
  });
});

describe('Request Abort Background Operation', () => {
  it('is a harmless Success with nothing running', () => {
    const d = makeDevice();
    expect(d.run(OP.requestAbortBackgroundOperation).rc).toBe(RC.success);
    expect(d.dev.backgroundStatus().running).toBe(false);
  });

  it('refuses once an operation is 85 % done', () => {
    const d = makeDevice();
    d.run(OP.scanMedia, payload(17, [[8, 8, 1 << 14]])); // 1 MiB at 1 ns/byte
    d.clock.advance(0.9 * (1 << 20));
    expect(d.run(OP.requestAbortBackgroundOperation).rc).toBe(RC.abortNotSupported);
  });

  it('a reset interrupts the running operation', () => {
    const d = makeDevice();
    d.run(OP.sanitize);
    d.dev.reset('warm');
    expect(d.dev.backgroundStatus()).toMatchObject({ running: false, rc: RC.interrupted });
  });
});

describe('Media disabled', () => {
  it('commands that need the media answer Media Disabled; the rest still work', () => {
    const d = makeDevice();
    d.dev.inject.setMediaState('disabled');
    expect(d.dev.mediaStatus()).toBe(3);
    const needsMedia = TYPE3_COMMANDS.filter((c) => c.mediaDisabled === 'rejected');
    expect(needsMedia.length).toBeGreaterThan(5);
    for (const c of needsMedia) {
      const len = c.input.kind === 'variable' ? 0 : c.input.bytes;
      expect(d.run(c.opcode, new Uint8Array(len)).rc, c.name).toBe(RC.mediaDisabled);
    }
    expect(d.run(OP.identifyMemoryDevice).rc).toBe(RC.success);
    expect(d.run(OP.getEventRecords, Uint8Array.of(0)).rc).toBe(RC.success);
    d.dev.inject.setMediaState('ready');
    expect(d.run(OP.getLsa, new Uint8Array(8)).rc).toBe(RC.success);
  });
});
