// `cxl-bench mailbox NODE OPCODE [--payload HEX] [--topology NAME|FILE] [--db FILE] [--json]`: one mailbox command
// on a live emulated platform, through the host's mailbox client, decoded (Identify, Partition Info, poison
// list, health, events, ...). OPCODE is hex (0x4000) or a command name (identify, get-poison-list). Exit 1 when
// the device answers with a return code other than Success. Recorded in a console run of session 'cli'.

import { DEFAULT_DB, parse, str } from '../args.js';
import { write, type CliIo } from '../io.js';
import { EXIT } from '../usage.js';
import { withLiveBench } from './live-session.js';
import { mailboxText } from './mailbox-output.js';

export async function mailboxCommand(args: string[], io: CliIo): Promise<number> {
  const p = parse(
    'mailbox',
    args,
    { payload: { type: 'string' }, topology: { type: 'string' }, db: { type: 'string' }, json: { type: 'boolean' } },
    { min: 2, max: 2, names: 'NODE OPCODE' },
  );
  const [node, opcode] = p.positionals as [string, string];
  return withLiveBench('mailbox', str(p, 'db') ?? DEFAULT_DB, str(p, 'topology') ?? 'single', async (live) => {
    const r = await live.call('mailbox.send', { sessionId: live.bench.sessionId, node, opcode, ...(str(p, 'payload') !== undefined ? { payloadHex: str(p, 'payload')! } : {}) });
    await write(io.stdout, p.values.json ? JSON.stringify({ node, runId: live.bench.runId, ...r }) + '\n' : mailboxText(node, r));
    return r.returnCode === 0 ? EXIT.ok : EXIT.failed;
  });
}
