// Firmware Update command set 02h (CXL 2.0 8.2.9.2). Transfers run in the foreground (the spec allows either);
// the package is kept so tests can see what arrived, and its first 16 bytes become the slot's revision string.

import { asciiField, asciiText } from '../layout.js';
import { ActivateFwIn, FW_TRANSFER_UNIT, GetFwInfoOut, TransferFwIn } from '../payloads.js';
import { RC } from '../return-codes.js';
import { FW_SLOTS, type FirmwareState } from '../state/device-state.js';
import { fail, ok, type Handler } from './context.js';

/** Transfer FW actions (CXL 2.0 8.2.9.2.2). */
const ACTION = { full: 0, initiate: 1, continue: 2, end: 3, abort: 4 } as const;
/** Activate FW actions (CXL 2.0 8.2.9.2.3). */
const ACTIVATE = { online: 0, onReset: 1 } as const;
/** Slot Info [2:0] active, [5:3] staged; Activation Capabilities bit 0 online activation. */
const ONLINE_ACTIVATION = 1 << 0;
/** Largest package we accept (QEMU's limit). */
const MAX_PACKAGE = 32 * 1024 * 1024;

export const getFwInfo: Handler = ({ dev }) => {
  const fw = dev.firmware;
  const rev = (i: number) => asciiField(fw.slots[i] ?? '', 16);
  return ok(
    GetFwInfoOut.encode({
      slotsSupported: FW_SLOTS,
      slotInfo: (fw.active & 0x7) | ((fw.staged & 0x7) << 3),
      activationCaps: ONLINE_ACTIVATION,
      slot1Revision: rev(0),
      slot2Revision: rev(1),
    }),
  );
};

/** A slot a package may be written to: 1..FW_SLOTS and not the active one (CXL 2.0 8.2.9.2.2 Invalid Slot). */
const writableSlot = (slot: number, active: number) => slot >= 1 && slot <= FW_SLOTS && slot !== active;

export const transferFw: Handler = ({ dev }, input) => {
  const head = TransferFwIn.decode(input);
  const data = input.subarray(TransferFwIn.size);
  const fw = dev.firmware;
  const byteOffset = head.offset * FW_TRANSFER_UNIT;
  switch (head.action) {
    case ACTION.abort:
      fw.transfer = null;
      return ok();
    case ACTION.full:
      if (fw.transfer !== null) return fail(RC.fwTransferInProgress);
      if (!writableSlot(head.slot, fw.active)) return fail(RC.invalidSlot);
      return commit(dev.firmware, head.slot, [data]);
    case ACTION.initiate:
      if (fw.transfer !== null) return fail(RC.fwTransferInProgress);
      if (byteOffset !== 0) return fail(RC.fwTransferOutOfOrder);
      fw.transfer = { slotHint: head.slot, received: data.length, image: [data.slice()] };
      return ok();
    case ACTION.continue:
    case ACTION.end: {
      const t = fw.transfer;
      if (t === null || byteOffset !== t.received) return fail(RC.fwTransferOutOfOrder);
      if (t.received + data.length > MAX_PACKAGE) return fail(RC.invalidInput);
      t.image.push(data.slice());
      t.received += data.length;
      if (head.action === ACTION.continue) return ok();
      if (!writableSlot(head.slot, fw.active)) return fail(RC.invalidSlot);
      fw.transfer = null;
      return commit(fw, head.slot, t.image);
    }
    default:
      return fail(RC.invalidInput);
  }
};

function commit(fw: FirmwareState, slot: number, parts: readonly Uint8Array[]) {
  const size = parts.reduce((n, p) => n + p.length, 0);
  // Verification: an empty package cannot be valid firmware.
  if (size === 0) return fail(RC.fwVerificationFailed);
  const first = parts.find((p) => p.length > 0) ?? new Uint8Array(0);
  const revision = asciiText(first.subarray(0, 16)) || `XFER ${size}B`;
  fw.slots[slot - 1] = revision;
  if (fw.staged === slot) fw.staged = 0;
  return ok();
}

export const activateFw: Handler = ({ dev }, input) => {
  const { action, slot } = ActivateFwIn.decode(input);
  const fw = dev.firmware;
  if (action !== ACTIVATE.online && action !== ACTIVATE.onReset) return fail(RC.invalidInput);
  if (slot < 1 || slot > FW_SLOTS || fw.slots[slot - 1] === null || slot === fw.active) return fail(RC.invalidSlot);
  if (action === ACTIVATE.online) {
    fw.active = slot;
    fw.staged = 0;
  } else {
    fw.staged = slot;
  }
  return ok();
};
