// `cxl-bench inject poison|event|ras|media NODE ...`: inject into a Type 3 device of a live emulated platform
// (the emulator's QMP-like API), then show the effect the way a host would see it:
//   poison NODE --dpa ADDR [--length BYTES]        then Get Poison List over the device's capacity
//   event  NODE --log LOG --kind KIND [--dpa ADDR] [--flags N] [--event-type N]
//                                                  then Get Event Records of that log
//   ras    NODE --kind uncorrectable|correctable --bits MASK [--unmask]
//                                                  then the RAS capability registers; errors are masked after
//                                                  reset (CXL 2.0 8.2.5.9.2/5): --unmask clears those masks first
//   media  NODE --state ready|not-ready|error|disabled        then Memory Device Status
// Common: [--topology NAME|FILE (a topology file too)] [--db FILE] [--json]. Recorded in a console run of session 'cli'.

import type { DecodedRegister, InjectEventKind, InjectEventLog, InjectMediaState, InjectResult, MailboxSendResult } from '../../main/api/contract.js';
import { EVENT_LOG } from '../../emulator/mailbox/state/event-logs.js';
import { DEFAULT_DB, int, oneOf, parse, str, type Options } from '../args.js';
import { write, type CliIo } from '../io.js';
import { EXIT, UsageError } from '../usage.js';
import { withLiveBench, type LiveCli } from './live-session.js';
import { mailboxText } from './mailbox-output.js';

const KINDS = ['poison', 'event', 'ras', 'media'] as const;
type Kind = (typeof KINDS)[number];
const LOGS: readonly InjectEventLog[] = ['informational', 'warning', 'failure', 'fatal'];
const EVENT_KINDS: readonly InjectEventKind[] = ['general-media', 'dram', 'memory-module'];
const MEDIA: readonly InjectMediaState[] = ['ready', 'not-ready', 'error', 'disabled'];

const COMMON: Options = { topology: { type: 'string' }, db: { type: 'string' }, json: { type: 'boolean' } };
const OPTIONS: Record<Kind, Options> = {
  poison: { ...COMMON, dpa: { type: 'string' }, length: { type: 'string' } },
  event: { ...COMMON, log: { type: 'string' }, kind: { type: 'string' }, dpa: { type: 'string' }, flags: { type: 'string' }, 'event-type': { type: 'string' } },
  ras: { ...COMMON, kind: { type: 'string' }, bits: { type: 'string' }, unmask: { type: 'boolean' } },
  media: { ...COMMON, state: { type: 'string' } },
};

/** Little-endian hex of a u64 (payload fields). */
const u64le = (n: number): string => {
  let v = BigInt(n);
  let s = '';
  for (let i = 0; i < 8; i++, v >>= 8n) s += Number(v & 0xffn).toString(16).padStart(2, '0');
  return s;
};

type Effect = { mailbox: MailboxSendResult } | { registers: DecodedRegister[] };

function need(command: string, value: string | undefined, option: string): string {
  if (value === undefined) throw new UsageError(`${command}: missing --${option}`);
  return value;
}

export async function injectCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub.startsWith('-')) throw new UsageError(`inject: missing injection (expected: ${KINDS.join(', ')})`);
  const kind = oneOf('inject', 'the injection', sub, KINDS)!;
  const command = `inject ${kind}`;
  const p = parse(command, rest, OPTIONS[kind], { min: 1, max: 1, names: 'NODE' });
  const node = p.positionals[0]!;

  return withLiveBench(command, str(p, 'db') ?? DEFAULT_DB, str(p, 'topology') ?? 'single', async (live) => {
    const sessionId = live.bench.sessionId;
    let result: InjectResult;
    let effect: Effect;
    if (kind === 'poison') {
      const length = int(command, p, 'length', 1, 2 ** 40);
      result = await live.call('inject.poison', { sessionId, node, dpa: need(command, str(p, 'dpa'), 'dpa'), ...(length !== undefined ? { length } : {}) });
      effect = { mailbox: await poisonList(live, node) };
    } else if (kind === 'event') {
      const log = oneOf(command, '--log', need(command, str(p, 'log'), 'log'), LOGS)!;
      const flags = int(command, p, 'flags', 0, 0xff_ffff);
      const eventType = int(command, p, 'event-type', 0, 255);
      result = await live.call('inject.event', {
        sessionId,
        node,
        log,
        kind: oneOf(command, '--kind', need(command, str(p, 'kind'), 'kind'), EVENT_KINDS)!,
        ...(str(p, 'dpa') !== undefined ? { dpa: str(p, 'dpa')! } : {}),
        ...(flags !== undefined ? { flags } : {}),
        ...(eventType !== undefined ? { eventType } : {}),
      });
      // Get Event Records input: the Event Log type (CXL 2.0 8.2.9.1.2).
      effect = { mailbox: await live.call('mailbox.send', { sessionId, node, opcode: 'getEventRecords', payloadHex: EVENT_LOG[log].toString(16).padStart(2, '0') }) };
    } else if (kind === 'ras') {
      const rasKind = oneOf(command, '--kind', need(command, str(p, 'kind'), 'kind'), ['uncorrectable', 'correctable'] as const)!;
      const unmask = p.values.unmask === true;
      result = await live.call('inject.ras', { sessionId, node, kind: rasKind, bits: need(command, str(p, 'bits'), 'bits'), ...(unmask ? { unmask } : {}) });
      // Status, masks and First Error Pointer: the masks decide whether an error is recorded at all.
      const ras = await live.call('regs.read', { sessionId, node, region: 'bar0', block: 'cxl-ras' });
      effect = { registers: ras.filter((r) => /Status|Mask|Capability and Control/.test(r.name)) };
    } else {
      result = await live.call('inject.media', { sessionId, node, state: oneOf(command, '--state', need(command, str(p, 'state'), 'state'), MEDIA)! });
      effect = { registers: await live.call('regs.read', { sessionId, node, region: 'bar2', block: 'cxl-memdev-status' }) };
    }
    if (p.values.json) await write(io.stdout, JSON.stringify({ node, runId: live.bench.runId, injection: result, ...effect }) + '\n');
    else await write(io.stdout, `${result.effect}\n${'mailbox' in effect ? mailboxText(node, effect.mailbox) : registersText(effect.registers)}`);
    return EXIT.ok;
  });
}

/** Identify for the capacity, then Get Poison List over all of it (CXL 2.0 8.2.9.5.4.1: length in 64 B units). */
async function poisonList(live: LiveCli, node: string): Promise<MailboxSendResult> {
  const sessionId = live.bench.sessionId;
  const id = await live.call('mailbox.send', { sessionId, node, opcode: 'identify' });
  const total = Number((id.decoded as { totalBytes?: number } | undefined)?.totalBytes ?? 0);
  return live.call('mailbox.send', { sessionId, node, opcode: 'getPoisonList', payloadHex: u64le(0) + u64le(Math.floor(total / 64)) });
}

export function registersText(regs: DecodedRegister[]): string {
  const lines: string[] = [];
  for (const r of regs) {
    lines.push(`  +0x${r.offset.toString(16).padStart(4, '0')}  ${r.name.padEnd(40)} = ${r.value}`);
    for (const f of r.fields) {
      if (f.access === 'RsvdP' || f.access === 'RsvdZ' || BigInt(f.value) === 0n) continue;
      const bits = f.bits[0] === f.bits[1] ? `[${f.bits[1]}]` : `[${f.bits[0]}:${f.bits[1]}]`;
      lines.push(`      ${bits.padEnd(8)} ${f.name} = ${f.value}${f.valueName ? ` (${f.valueName})` : ''}`);
    }
  }
  return lines.join('\n') + '\n';
}
