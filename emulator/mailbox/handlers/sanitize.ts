// Sanitize 4400h and Secure Erase 4401h (CXL 2.0 8.2.9.5.5): background operations; media reads as Disabled
// while they run (Type3State.effectiveMediaState), and the data is really gone when they complete.

import { OP } from '../opcodes.js';
import { RC } from '../return-codes.js';
import type { Type3State } from '../state/device-state.js';
import { fail, started, type Handler } from './context.js';

/** Byte the Sanitize overwrite leaves in every location. */
export const SANITIZE_PATTERN = 0x00;
/** Virtual durations: overwrite at 1 GiB/s (at least 1 ms); secure erase changes keys, a fixed 50 ms. */
export const SANITIZE_NS_PER_BYTE = 1e9 / 2 ** 30;
export const SECURE_ERASE_NS = 50_000_000;

/** Both refuse while a user passphrase is set or the device is locked (Linux checks the same before sending). */
const securityBlocks = (dev: Type3State) => dev.security.userPassphraseSet || dev.security.locked;

export const sanitize: Handler = ({ dev }) => {
  if (securityBlocks(dev)) return fail(RC.invalidSecurityState);
  dev.background.start({
    opcode: OP.sanitize,
    durationNs: Math.max(1_000_000, Math.round(dev.totalBytes * SANITIZE_NS_PER_BYTE)),
    abortable: true,
    complete: () => {
      dev.media.fill(SANITIZE_PATTERN);
      dev.lsa.fill(0); // metadata is user data for sanitize (QEMU zeroes the LSA too)
      dev.poison.clear();
      if (dev.mediaState === 'disabled') dev.mediaState = 'ready';
      return RC.success;
    },
    // An interrupted sanitize leaves the media disabled until a sanitize completes (CXL 2.0 8.2.9.5.5.1).
    abort: () => {
      dev.mediaState = 'disabled';
    },
  });
  return started();
};

export const secureErase: Handler = ({ dev }) => {
  if (securityBlocks(dev)) return fail(RC.invalidSecurityState);
  dev.background.start({
    opcode: OP.secureErase,
    durationNs: SECURE_ERASE_NS,
    abortable: false,
    complete: () => {
      dev.media.zeroAll();
      dev.poison.clear();
      return RC.success;
    },
  });
  return started();
};
