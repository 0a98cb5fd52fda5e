// Persistent Memory Data-at-rest Security (CXL 2.0 8.2.9.5.6): user and master passphrases, locked, frozen and
// attempt-limit state, as a small state machine whose transitions return mailbox return codes.
//
// Rules (spec text, cross-checked with Linux tools/testing/cxl/test/mem.c, a mock written to the spec):
// - Frozen: Set/Disable Passphrase, Unlock and Passphrase Secure Erase return Invalid Security State until reset.
// - A wrong passphrase returns Incorrect Passphrase and counts an attempt; at the limit the attempt-limit bit is
//   set and further use of that passphrase type returns Invalid Security State until a cold reset.
// - The master passphrase may only be set while no user passphrase is set.
// - Unlock only in the locked state; a conventional reset locks the device if a user passphrase is set.

import { PASSPHRASE_BYTES, PASSPHRASE_TYPE, SECURITY } from '../payloads.js';
import { RC } from '../return-codes.js';

/** Wrong-passphrase attempts before the attempt-limit bit sets (implementation choice; Linux's mock uses 3). */
export const PASSPHRASE_ATTEMPT_LIMIT = 3;

type Kind = 'user' | 'master';

const samePassphrase = (a: Uint8Array | null, b: Uint8Array): boolean => {
  if (a === null) return false;
  for (let i = 0; i < PASSPHRASE_BYTES; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return false;
  return true;
};

export class SecurityState {
  private pass: Record<Kind, Uint8Array | null> = { user: null, master: null };
  private attempts: Record<Kind, number> = { user: 0, master: 0 };
  private limited: Record<Kind, boolean> = { user: false, master: false };
  locked = false;
  frozen = false;

  /** Get Security State bits (CXL 2.0 8.2.9.5.6.1). */
  bits(): number {
    return (
      (this.pass.user !== null ? SECURITY.userPassphraseSet : 0) |
      (this.pass.master !== null ? SECURITY.masterPassphraseSet : 0) |
      (this.locked ? SECURITY.locked : 0) |
      (this.frozen ? SECURITY.frozen : 0) |
      (this.limited.user ? SECURITY.userAttemptLimit : 0) |
      (this.limited.master ? SECURITY.masterAttemptLimit : 0)
    );
  }

  get userPassphraseSet(): boolean {
    return this.pass.user !== null;
  }

  /** Set Passphrase (CXL 2.0 8.2.9.5.6.2). */
  setPassphrase(type: number, current: Uint8Array, next: Uint8Array): number {
    const kind = kindOf(type);
    if (kind === null) return RC.invalidInput;
    if (this.frozen || this.limited[kind]) return RC.invalidSecurityState;
    if (kind === 'user' && this.locked) return RC.invalidSecurityState;
    if (kind === 'master' && this.pass.user !== null) return RC.invalidSecurityState;
    // Changing an existing passphrase needs the current one; with none set the current field is ignored.
    if (this.pass[kind] !== null && !this.check(kind, current)) return RC.incorrectPassphrase;
    this.pass[kind] = next.slice(0, PASSPHRASE_BYTES);
    this.attempts[kind] = 0;
    return RC.success;
  }

  /** Disable Passphrase (CXL 2.0 8.2.9.5.6.3). */
  disablePassphrase(type: number, passphrase: Uint8Array): number {
    const kind = kindOf(type);
    if (kind === null) return RC.invalidInput;
    if (this.frozen || this.limited[kind] || this.pass[kind] === null) return RC.invalidSecurityState;
    if (kind === 'user' && this.locked) return RC.invalidSecurityState;
    if (!this.check(kind, passphrase)) return RC.incorrectPassphrase;
    this.pass[kind] = null;
    this.attempts[kind] = 0;
    return RC.success;
  }

  /** Unlock (CXL 2.0 8.2.9.5.6.4). */
  unlock(passphrase: Uint8Array): number {
    if (this.frozen || this.pass.user === null || this.limited.user || !this.locked) return RC.invalidSecurityState;
    if (!this.check('user', passphrase)) return RC.incorrectPassphrase;
    this.locked = false;
    return RC.success;
  }

  /** Freeze Security State (CXL 2.0 8.2.9.5.6.5); freezing twice is not an error. */
  freeze(): number {
    this.frozen = true;
    return RC.success;
  }

  /**
   * Passphrase Secure Erase, the security half (CXL 2.0 8.2.9.5.6.6). On success the caller erases the media.
   * Master: needs the master passphrase set (Invalid Input otherwise); clears the user passphrase and unlocks.
   * User: if a user passphrase is set it must match, and it is removed; if none is set the passphrase is ignored.
   */
  passphraseSecureErase(type: number, passphrase: Uint8Array): number {
    const kind = kindOf(type);
    if (kind === null) return RC.invalidInput;
    if (this.frozen || this.limited[kind]) return RC.invalidSecurityState;
    if (kind === 'master') {
      if (this.pass.master === null) return RC.invalidInput;
      if (!this.check('master', passphrase)) return RC.incorrectPassphrase;
    } else if (this.pass.user !== null) {
      if (!this.check('user', passphrase)) return RC.incorrectPassphrase;
    }
    this.pass.user = null;
    this.attempts.user = 0;
    this.locked = false;
    return RC.success;
  }

  /** Conventional reset: the frozen state ends, and a set user passphrase locks the device again. */
  reset(kind: 'cold' | 'warm' | 'hot' | 'cxl'): void {
    if (kind === 'cxl') return;
    this.frozen = false;
    this.locked = this.pass.user !== null;
    if (kind === 'cold') {
      this.limited = { user: false, master: false };
      this.attempts = { user: 0, master: 0 };
    }
  }

  private check(kind: Kind, passphrase: Uint8Array): boolean {
    if (samePassphrase(this.pass[kind], passphrase)) {
      this.attempts[kind] = 0;
      return true;
    }
    this.attempts[kind] += 1;
    if (this.attempts[kind] >= PASSPHRASE_ATTEMPT_LIMIT) this.limited[kind] = true;
    return false;
  }
}

function kindOf(type: number): Kind | null {
  if (type === PASSPHRASE_TYPE.user) return 'user';
  if (type === PASSPHRASE_TYPE.master) return 'master';
  return null;
}
