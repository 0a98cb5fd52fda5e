// Persistent Memory Data-at-rest Security 45xxh (CXL 2.0 8.2.9.5.6); the state machine is state/security.ts.

import { PassphraseIn, SecurityStateOut, SetPassphraseIn, UnlockIn } from '../payloads.js';
import { RC } from '../return-codes.js';
import { fail, ok, type Handler } from './context.js';

const outcome = (rc: number) => (rc === RC.success ? ok() : fail(rc));

export const getSecurityState: Handler = ({ dev }) => ok(SecurityStateOut.encode({ state: dev.security.bits() }));

export const setPassphrase: Handler = ({ dev }, input) => {
  const p = SetPassphraseIn.decode(input);
  return outcome(dev.security.setPassphrase(p.type, p.current, p.next));
};

export const disablePassphrase: Handler = ({ dev }, input) => {
  const p = PassphraseIn.decode(input);
  return outcome(dev.security.disablePassphrase(p.type, p.passphrase));
};

export const unlock: Handler = ({ dev }, input) => outcome(dev.security.unlock(UnlockIn.decode(input).passphrase));

export const freezeSecurityState: Handler = ({ dev }) => outcome(dev.security.freeze());

/** Passphrase Secure Erase (CXL 2.0 8.2.9.5.6.6): a key change, so it completes at once and all data reads zero. */
export const passphraseSecureErase: Handler = ({ dev }, input) => {
  const p = PassphraseIn.decode(input);
  const rc = dev.security.passphraseSecureErase(p.type, p.passphrase);
  if (rc !== RC.success) return fail(rc);
  dev.media.zeroAll();
  dev.poison.clear();
  return ok();
};
