// One mailbox command from a console (CLI `cxl-bench mailbox NODE OPCODE [--payload HEX]`, the UI panel):
// parse the opcode and hex payload, send it through the MailboxClient, decode the answer when a codec exists.
// Errors are values: a bad opcode or payload text, a device without a mailbox.

import type { Target } from '../common/target.js';
import type { TraceSink } from '../common/trace-sink.js';
import { fromHex, toHex } from './core/bytes.js';
import { MailboxClient, type MailboxResult } from './core/mbox.js';
import { OP, opcodeName } from './core/mbox-opcodes.js';
import { PAYLOAD_DECODERS } from './core/mbox-payloads.js';

export interface ConsoleOptions {
  /** Wait between doorbell polls; default: resolve at once (emulated targets complete synchronously). */
  sleep?: (ns: number) => Promise<void>;
  now?: () => number;
  sink?: TraceSink | null;
}

export interface ConsoleResult {
  ok: boolean;
  /** Why the command could not be sent or did not complete. */
  error?: string;
  opcode?: number;
  name?: string;
  returnCode?: number;
  returnName?: string;
  outputHex?: string;
  outputLength?: number;
  /** Decoded output when the opcode has a codec (Identify, Partition Info, logs, health, FW, poison, events). */
  decoded?: unknown;
  background?: boolean;
}

/** Accepts "4000", "0x4000", "4000h" or a mnemonic from OP ("identifyMemdev"). */
export function parseOpcode(text: string): number | null {
  const t = text.trim();
  if (t in OP) return OP[t as keyof typeof OP];
  const m = /^(?:0x)?([0-9a-f]{1,4})h?$/i.exec(t);
  return m ? parseInt(m[1]!, 16) : null;
}

export async function sendMailboxCommand(target: Target, opcode: number | string, payloadHex = '', opts: ConsoleOptions = {}): Promise<ConsoleResult> {
  const op = typeof opcode === 'number' ? opcode : parseOpcode(opcode);
  if (op === null || op < 0 || op > 0xffff) return { ok: false, error: `not an opcode: ${String(opcode)}` };
  const input = fromHex(payloadHex);
  if (!input) return { ok: false, error: `payload is not hex bytes: ${payloadHex}` };
  let clock = 0;
  const env = {
    sleep: opts.sleep ?? (async (ns: number) => void (clock += ns)),
    now: opts.now ?? (() => clock),
    sink: opts.sink ?? null,
  };
  const c = await MailboxClient.connect(target, env);
  if ('error' in c) return { ok: false, error: `${target.node}: ${c.error}` };
  const r: MailboxResult = await c.send(op, input);
  if (r.failure) return { ok: false, error: `${r.failure.message} (${r.failure.evidence})`, opcode: op, name: opcodeName(op) };
  const dec = PAYLOAD_DECODERS[op] as ((b: Uint8Array) => unknown) | undefined;
  return {
    ok: r.rc === 0,
    opcode: op,
    name: r.name,
    returnCode: r.rc,
    returnName: r.rcName,
    outputHex: toHex(r.output),
    outputLength: r.outLen,
    background: r.background,
    ...(dec && r.rc === 0 ? { decoded: dec(r.output) } : {}),
  };
}
