// A mailbox backend that answers every command with Unsupported Mailbox or CCI (0x15) and reports a ready,
// healthy device: the stand-in until a real command set is supplied (emulator/mailbox createType3Backend).

import type { BackgroundStatus, CommandOutcome, MailboxBackend, MediaStatus } from '../mailbox/backend.js';

export function unsupportedBackend(): MailboxBackend {
  const idle: BackgroundStatus = { running: false, opcode: 0, percent: 0, rc: 0, vendorStatus: 0 };
  return {
    execute: (): CommandOutcome => ({ rc: 0x15, output: new Uint8Array(0) }),
    backgroundStatus: () => idle,
    eventStatus: () => 0,
    mediaStatus: (): MediaStatus => 1,
    mailboxReady: () => true,
    resetNeeded: () => 0,
    fatal: () => false,
    fwHalt: () => false,
  };
}
