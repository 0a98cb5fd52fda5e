import { describe, expect, it } from 'vitest';
import { dpa } from '../../../common/units.js';
import { OP, RC } from '../../../emulator/mailbox/index.js';
import { PASSPHRASE_ATTEMPT_LIMIT } from '../../../emulator/mailbox/state/security.js';
import { makeDevice, reader } from './helpers.js';

const USER = 1;
const MASTER = 0;
const pass = (c: string) => new Uint8Array(32).fill(c.charCodeAt(0));
const setPass = (type: number, current: Uint8Array, next: Uint8Array) => {
  const p = new Uint8Array(0x60);
  p[0] = type;
  p.set(current, 0x20);
  p.set(next, 0x40);
  return p;
};
const withPass = (type: number, passphrase: Uint8Array) => {
  const p = new Uint8Array(0x40);
  p[0] = type;
  p.set(passphrase, 0x20);
  return p;
};
const state = (d: ReturnType<typeof makeDevice>) => reader(d.run(OP.getSecurityState).output).u32(0);

const S = { user: 1, master: 2, locked: 4, frozen: 8, userLimit: 16, masterLimit: 32 };

describe('Persistent memory security state machine', () => {
  it('starts with nothing set', () => {
    const d = makeDevice();
    const { rc, output } = d.run(OP.getSecurityState);
    expect(rc).toBe(RC.success);
    expect(output.length).toBe(4);
    expect(state(d)).toBe(0);
  });

  it('set user passphrase, reset locks, unlock with the right passphrase', () => {
    const d = makeDevice();
    expect(d.run(OP.setPassphrase, setPass(USER, pass('x'), pass('a'))).rc).toBe(RC.success);
    expect(state(d)).toBe(S.user);
    d.dev.reset('cold');
    expect(state(d)).toBe(S.user | S.locked);
    expect(d.dev.mediaAccess(dpa(d.dev.device.volatileBytes), 64)).toBe('locked');
    expect(d.dev.mediaAccess(dpa(0), 64)).toBe('ok'); // volatile capacity is not locked
    expect(d.run(OP.setPassphrase, setPass(USER, pass('a'), pass('b'))).rc).toBe(RC.invalidSecurityState);
    expect(d.run(OP.unlock, pass('z')).rc).toBe(RC.incorrectPassphrase);
    expect(d.run(OP.unlock, pass('a')).rc).toBe(RC.success);
    expect(state(d)).toBe(S.user);
    expect(d.run(OP.unlock, pass('a')).rc).toBe(RC.invalidSecurityState); // not locked any more
  });

  it('changing a passphrase needs the current one; disabling removes it', () => {
    const d = makeDevice();
    d.run(OP.setPassphrase, setPass(USER, pass('x'), pass('a')));
    expect(d.run(OP.setPassphrase, setPass(USER, pass('x'), pass('b'))).rc).toBe(RC.incorrectPassphrase);
    expect(d.run(OP.setPassphrase, setPass(USER, pass('a'), pass('b'))).rc).toBe(RC.success);
    expect(d.run(OP.disablePassphrase, withPass(USER, pass('a'))).rc).toBe(RC.incorrectPassphrase);
    expect(d.run(OP.disablePassphrase, withPass(USER, pass('b'))).rc).toBe(RC.success);
    expect(state(d)).toBe(0);
    expect(d.run(OP.disablePassphrase, withPass(USER, pass('b'))).rc).toBe(RC.invalidSecurityState);
  });

  it('the master passphrase can only be set while no user passphrase is set', () => {
    const d = makeDevice();
    expect(d.run(OP.setPassphrase, setPass(MASTER, pass('x'), pass('m'))).rc).toBe(RC.success);
    expect(d.run(OP.setPassphrase, setPass(USER, pass('x'), pass('u'))).rc).toBe(RC.success);
    expect(state(d)).toBe(S.user | S.master);
    expect(d.run(OP.setPassphrase, setPass(MASTER, pass('m'), pass('n'))).rc).toBe(RC.invalidSecurityState);
  });

  it('too many wrong passphrases set the attempt-limit bit until a cold reset', () => {
    const d = makeDevice();
    d.run(OP.setPassphrase, setPass(USER, pass('x'), pass('a')));
    d.dev.reset('cold');
    for (let i = 0; i < PASSPHRASE_ATTEMPT_LIMIT; i++) expect(d.run(OP.unlock, pass('z')).rc).toBe(RC.incorrectPassphrase);
    expect(state(d) & S.userLimit).toBe(S.userLimit);
    expect(d.run(OP.unlock, pass('a')).rc).toBe(RC.invalidSecurityState);
    d.dev.reset('warm');
    expect(state(d) & S.userLimit).toBe(S.userLimit);
    d.dev.reset('cold');
    expect(state(d)).toBe(S.user | S.locked);
    expect(d.run(OP.unlock, pass('a')).rc).toBe(RC.success);
  });

  it('freeze blocks every state change until reset, and freezing twice is fine', () => {
    const d = makeDevice();
    d.run(OP.setPassphrase, setPass(USER, pass('x'), pass('a')));
    expect(d.run(OP.freezeSecurityState).rc).toBe(RC.success);
    expect(d.run(OP.freezeSecurityState).rc).toBe(RC.success);
    expect(state(d)).toBe(S.user | S.frozen);
    expect(d.run(OP.setPassphrase, setPass(USER, pass('a'), pass('b'))).rc).toBe(RC.invalidSecurityState);
    expect(d.run(OP.disablePassphrase, withPass(USER, pass('a'))).rc).toBe(RC.invalidSecurityState);
    expect(d.run(OP.passphraseSecureErase, withPass(USER, pass('a'))).rc).toBe(RC.invalidSecurityState);
    d.dev.reset('hot');
    expect(state(d) & S.frozen).toBe(0);
  });

  it('passphrase secure erase with the master passphrase erases data and removes the user passphrase', () => {
    const d = makeDevice();
    d.run(OP.setPassphrase, setPass(MASTER, pass('x'), pass('m')));
    d.run(OP.setPassphrase, setPass(USER, pass('x'), pass('u')));
    d.dev.reset('cold');
    d.dev.media.write(dpa(d.dev.device.volatileBytes + 64), Uint8Array.of(0xee));
    expect(d.run(OP.passphraseSecureErase, withPass(MASTER, pass('u'))).rc).toBe(RC.incorrectPassphrase);
    expect(d.run(OP.passphraseSecureErase, withPass(MASTER, pass('m'))).rc).toBe(RC.success);
    expect(state(d)).toBe(S.master);
    const b = new Uint8Array(1);
    d.dev.media.read(dpa(d.dev.device.volatileBytes + 64), b);
    expect(b[0]).toBe(0);
  });

  it('passphrase secure erase with the master type and no master passphrase is Invalid Input', () => {
    const d = makeDevice();
    expect(d.run(OP.passphraseSecureErase, withPass(MASTER, pass('m'))).rc).toBe(RC.invalidInput);
  });

  it('rejects unknown passphrase types and wrong lengths', () => {
    const d = makeDevice();
    expect(d.run(OP.setPassphrase, setPass(2, pass('x'), pass('a'))).rc).toBe(RC.invalidInput);
    expect(d.run(OP.disablePassphrase, withPass(7, pass('a'))).rc).toBe(RC.invalidInput);
    expect(d.run(OP.unlock, new Uint8Array(31)).rc).toBe(RC.invalidPayloadLength);
    expect(d.run(OP.setPassphrase, new Uint8Array(0x40)).rc).toBe(RC.invalidPayloadLength);
    expect(d.run(OP.freezeSecurityState, new Uint8Array(1)).rc).toBe(RC.invalidPayloadLength);
  });
});
