// Forward a Type 3 device's mailbox commands to a TraceSink as higher-level events (DESIGN.md 5), named from
// the command table of its backend when it has one.

import type { TraceSink } from '../../common/trace-sink.js';
import type { MailboxBackend } from '../mailbox/backend.js';
import { returnCodeName } from '../mailbox/index.js';
import type { Type3Device } from './type3-device.js';

const toHex = (b: Uint8Array, max = 256): string => {
  let s = '';
  for (let i = 0; i < Math.min(b.length, max); i++) s += b[i].toString(16).padStart(2, '0');
  return b.length > max ? `${s}…` : s;
};

/** Start tracing the device's mailbox commands into `sink` under topology path `node`; returns a stop function. */
export function traceMailbox<B extends MailboxBackend>(dev: Type3Device<B>, sink: TraceSink, node: string): () => void {
  const id = sink.nodeId(node);
  dev.onMailbox((rec) => {
    const cmds = (dev.backend as { commands?: readonly { opcode: number; name: string }[] }).commands;
    const name = cmds?.find((c) => c.opcode === rec.opcode)?.name ?? `0x${rec.opcode.toString(16).padStart(4, '0')}`;
    sink.mailbox(id, {
      opcode: rec.opcode,
      name,
      returnCode: rec.returnCode,
      returnName: returnCodeName(rec.returnCode),
      inputHex: toHex(rec.input),
      outputHex: toHex(rec.output),
    });
  });
  return () => dev.onMailbox(null);
}
