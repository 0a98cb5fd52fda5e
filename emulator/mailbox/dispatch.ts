// Run one mailbox command against the table: every length, media and background rule is checked here, once,
// before any handler sees the payload. Never throws (DESIGN.md 2: hardware never throws).

import type { CommandOutcome } from './backend.js';
import type { CommandDef, InputRule } from './command-table.js';
import { EFFECT } from './effects.js';
import { fail, type CommandContext } from './handlers/context.js';
import { RC } from './return-codes.js';

function lengthOk(rule: InputRule, length: number): boolean {
  switch (rule.kind) {
    case 'fixed':
      return length === rule.bytes;
    case 'min':
      return length >= rule.bytes;
    case 'range':
      return length >= rule.bytes && length <= rule.max;
    case 'variable':
      return true;
  }
}

export function dispatch(
  commands: ReadonlyMap<number, CommandDef>,
  ctx: CommandContext,
  opcode: number,
  input: Uint8Array,
): CommandOutcome {
  const cmd = commands.get(opcode);
  if (cmd === undefined) return fail(RC.unsupported);
  // Invalid Payload Length (r3.0 Table 8-34; CXL 2.0 devices answered Invalid Input).
  if (input.length > ctx.payloadSize || !lengthOk(cmd.input, input.length)) return fail(RC.invalidPayloadLength);
  const dev = ctx.dev;
  const busy = () => dev.background.running && (cmd.duringBackground === 'busy' || (cmd.effects & EFFECT.backgroundOperation) !== 0);
  const listed = dev.profile.mediaDisabledOpcodes;
  if (listed !== null) {
    // QEMU order: Busy first, then its fixed Media Disabled list (emulator/mailbox/profile.ts).
    if (busy()) return fail(RC.busy);
    if (listed.has(opcode) && dev.effectiveMediaState() === 'disabled') return fail(RC.mediaDisabled);
  } else {
    if (cmd.mediaDisabled === 'rejected' && dev.effectiveMediaState() === 'disabled') return fail(RC.mediaDisabled);
    if (busy()) return fail(RC.busy);
  }
  try {
    const out = cmd.handler(ctx, input);
    if (out.output.length > ctx.payloadSize) return fail(RC.internalError);
    return out;
  } catch {
    // A handler bug must not take the emulator down; silicon would report an internal error.
    return fail(RC.internalError);
  }
}
