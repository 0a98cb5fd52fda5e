// Which mailbox command a Command Payload register access belongs to (CXL 2.0 8.2.8.4.5, 8.2.8.4.8): the
// opcode last written to the Command Register of the same mailbox. Lets a "mailbox.<opcode>" mask reach the raw
// payload reads that returned the command's output, not only the decoded mailbox record.

import type { Region } from '../../common/access.js';
import type { LayoutIndex, RegisterHit } from '../layout-index.js';

/** Block ids of emulator/spec/blocks.ts (emulator/cxl/device-regs.ts): mailbox registers and its payload area. */
export const MAILBOX_BLOCK = 'cxl-mailbox';
export const MAILBOX_PAYLOAD_BLOCK = 'cxl-mailbox-payload';
/** Command Register offset in the mailbox registers (CXL 2.0 8.2.8.4.5): opcode in bits [15:0]. */
export const COMMAND_REGISTER = 0x08;

/**
 * The mailbox role of an access slot: +(id + 1) for a read of mailbox `id`'s payload area, -(id + 1) for a write
 * of its Command Register's opcode bytes, 0 otherwise. `mailboxId` numbers mailboxes by (node, region, base).
 */
export function mailboxRole(
  index: LayoutIndex,
  node: string,
  region: Region,
  offset: number,
  width: number,
  op: 'R' | 'W',
  hits: readonly RegisterHit[],
  mailboxId: (node: string, region: Region, base: number) => number,
): number {
  if (op === 'W') {
    const h = hits[0];
    // The opcode is bits [15:0]: a write that starts at the register and covers them (writeq, or a low dword).
    if (h && h.block.id === MAILBOX_BLOCK && h.register.offset === COMMAND_REGISTER && offset === h.base && width >= 2)
      return -(mailboxId(node, region, h.placed.base) + 1);
    return 0;
  }
  if (hits.length > 0) return 0;
  const payload = index.blockAt(node, region, offset);
  if (!payload || payload.block.id !== MAILBOX_PAYLOAD_BLOCK) return 0;
  // The payload area follows its mailbox's registers (8.2.8.4.8: at offset 20h of the mailbox).
  const mbox = index.blockAt(node, region, payload.placed.base - 1);
  if (!mbox || mbox.block.id !== MAILBOX_BLOCK) return 0;
  return mailboxId(node, region, mbox.placed.base) + 1;
}
