// What every command handler receives and returns.

import type { CommandOutcome } from '../backend.js';
import { RC } from '../return-codes.js';
import type { Type3State } from '../state/device-state.js';

export interface CommandContext {
  dev: Type3State;
  /** Mailbox payload size in bytes: the most a handler may return. */
  payloadSize: number;
  /** The Command Effects Log, generated from the command table (Get Log reads it). */
  cel: Uint8Array;
}

export type Handler = (ctx: CommandContext, input: Uint8Array) => CommandOutcome;

const EMPTY = new Uint8Array(0);

export const ok = (output: Uint8Array = EMPTY): CommandOutcome => ({ rc: RC.success, output });
export const fail = (rc: number): CommandOutcome => ({ rc, output: EMPTY });
export const started = (): CommandOutcome => ({ rc: RC.backgroundStarted, output: EMPTY });
