// Mailbox command checks: return codes for bad input (CXL 2.0 8.2.8.4.5, Table 150; r3.x Invalid Payload
// Length 16h), the CEL against behaviour (8.2.9.4.4), LSA bounds (8.2.9.5.2), background operations
// (8.2.8.4.7, 8.2.9.1.2) and the commands Linux depends on.

import { NS_PER_MS } from '../../../common/clock.js';
import { hex, put64 } from '../../core/bytes.js';
import { CEL_UUID, decodeIdentifyMemdev, decodeSupportedLogs, encodeGetLog, encodeGetLsa, IDENTIFY_MEMDEV_LEN } from '../../core/mbox-payloads.js';
import { OP, OPCODES, RC, opcodeName, returnCodeName } from '../../core/mbox-opcodes.js';
import type { MailboxClient } from '../../core/mbox.js';
import { fail, pass, skip, verdict, type CheckEnv, type CheckResult, type ConformanceCheck } from './check.js';

const rcText = (rc: number) => `${hex(rc, 4)} ${returnCodeName(rc)}`;
const badLength = (rc: number) => rc === RC.invalidPayloadLength || rc === RC.invalidInput;

async function withMbox(e: CheckEnv, body: (m: MailboxClient) => Promise<CheckResult>): Promise<CheckResult> {
  if (!e.mbox) return skip('no mailbox');
  return body(e.mbox);
}

async function identify(m: MailboxClient) {
  const r = await m.send(OP.identifyMemdev);
  return r.rc === RC.success ? decodeIdentifyMemdev(r.output) : null;
}

/** Opcodes safe to probe for "not Unsupported": sent with a length the spec forbids, so nothing executes. */
function malformedInput(op: number): Uint8Array | null {
  const info = OPCODES[op];
  if (!info) return null;
  return new Uint8Array(info.inLen >= 0 ? info.inLen + 1 : 0);
}

export const MAILBOX_CHECKS: ConformanceCheck[] = [
  {
    id: 'mbox.unknown-opcode',
    title: 'An undefined opcode returns Unsupported',
    spec: 'CXL 2.0 8.2.8.4.5',
    rationale: 'Unsupported (0003h) is the only answer that lets software probe for commands.',
    run: (e) => withMbox(e, async (m) => {
      const r = await m.send(0x3fff);
      return verdict(r.rc === RC.unsupported, `opcode 3FFFh → ${rcText(r.rc)}`);
    }),
  },
  {
    id: 'mbox.vendor-opcode',
    title: 'An unimplemented vendor opcode returns Unsupported',
    spec: 'CXL 2.0 8.2.8.4.5, 8.2.9',
    rationale: 'C000h-FFFFh are vendor specific; unimplemented ones must not succeed silently.',
    run: (e) => withMbox(e, async (m) => {
      const cel = (await e.cel()) ?? [];
      const op = [0xcfff, 0xc000, 0xfffe].find((x) => !cel.includes(x));
      if (op === undefined) return skip('all candidate vendor opcodes are in the CEL');
      const r = await m.send(op);
      return verdict(r.rc === RC.unsupported, `opcode ${hex(op, 4)} → ${rcText(r.rc)}`);
    }),
  },
  {
    id: 'mbox.identify-bad-length',
    title: 'Identify Memory Device with input bytes is rejected',
    spec: 'CXL 2.0 8.2.9.5.1.1; r3.1 Table 8-34',
    rationale: 'Identify takes no input; a length must give Invalid Input (2.0) or Invalid Payload Length (3.x).',
    run: (e) => withMbox(e, async (m) => {
      const r = await m.send(OP.identifyMemdev, new Uint8Array(4));
      return verdict(badLength(r.rc), `4-byte input → ${rcText(r.rc)}`);
    }),
  },
  {
    id: 'mbox.get-log-bad-length',
    title: 'Get Log with a short input is rejected',
    spec: 'CXL 2.0 8.2.9.4.2',
    rationale: 'Get Log needs 18h bytes (UUID, offset, length).',
    run: (e) => withMbox(e, async (m) => {
      const r = await m.send(OP.getLog, encodeGetLog(CEL_UUID, 0, 4).subarray(0, 0x10));
      return verdict(badLength(r.rc), `16-byte input → ${rcText(r.rc)}`);
    }),
  },
  {
    id: 'mbox.get-log-unknown-uuid',
    title: 'Get Log of an unknown log UUID is rejected',
    spec: 'CXL 2.0 8.2.9.4.2; r3.1 Table 8-34',
    rationale: 'Invalid Log (17h) in 3.x, Invalid Input in 2.0; never Success with data.',
    run: (e) => withMbox(e, async (m) => {
      const r = await m.send(OP.getLog, encodeGetLog('11111111-2222-3333-4444-555555555555', 0, 4));
      return verdict(r.rc === RC.invalidLog || r.rc === RC.invalidInput || r.rc === RC.unsupported, `→ ${rcText(r.rc)}`);
    }),
  },
  {
    id: 'mbox.get-log-past-end',
    title: 'Get Log past the end of the CEL is rejected',
    spec: 'CXL 2.0 8.2.9.4.2',
    rationale: 'Offset + length beyond the log size is Invalid Input.',
    run: (e) => withMbox(e, async (m) => {
      const logs = decodeSupportedLogs((await m.send(OP.getSupportedLogs)).output);
      const cel = logs.entries.find((x) => x.uuid === CEL_UUID);
      if (!cel) return fail('no CEL');
      const r = await m.send(OP.getLog, encodeGetLog(CEL_UUID, cel.size, 4));
      return verdict(r.rc === RC.invalidInput, `offset ${cel.size} (log size) length 4 → ${rcText(r.rc)}`);
    }),
  },
  {
    id: 'mbox.cel-present',
    title: 'Get Supported Logs lists a CEL whose size is a multiple of 4',
    spec: 'CXL 2.0 8.2.9.4.1, 8.2.9.4.4',
    rationale: 'Linux fails the probe (-ENOENT) without a CEL.',
    run: (e) => withMbox(e, async (m) => {
      const logs = decodeSupportedLogs((await m.send(OP.getSupportedLogs)).output);
      const cel = logs.entries.find((x) => x.uuid === CEL_UUID);
      return verdict(!!cel && cel.size > 0 && cel.size % 4 === 0, logs.entries.map((x) => `${x.uuid} ${x.size} B`).join(', ') || 'no logs');
    }),
  },
  {
    id: 'mbox.cel-commands-supported',
    title: 'No command the CEL lists returns Unsupported',
    spec: 'CXL 2.0 8.2.9.4.4',
    rationale: 'The CEL is the device’s own list of supported commands; Linux enables commands from it. Each is sent with a length the spec forbids, so nothing executes.',
    run: (e) => withMbox(e, async (m) => {
      const cel = await e.cel();
      if (!cel) return fail('CEL unavailable');
      const bad: string[] = [];
      const unprobed: string[] = [];
      for (const op of cel) {
        const input = malformedInput(op);
        if (!input) {
          unprobed.push(hex(op, 4));
          continue;
        }
        const r = await m.send(op, input);
        if (r.rc === RC.unsupported) bad.push(`${hex(op, 4)} ${opcodeName(op)}`);
      }
      return verdict(bad.length === 0, `${cel.length} CEL opcodes; Unsupported: ${bad.join(', ') || 'none'}${unprobed.length ? `; not probed (unknown input length): ${unprobed.join(', ')}` : ''}`);
    }),
  },
  {
    id: 'mbox.non-cel-unsupported',
    title: 'A defined command missing from the CEL returns Unsupported',
    spec: 'CXL 2.0 8.2.9.4.4',
    rationale: 'A command the device implements but does not list is invisible to Linux; one it does not implement must say so.',
    run: (e) => withMbox(e, async (m) => {
      const cel = new Set((await e.cel()) ?? []);
      const op = Object.keys(OPCODES).map(Number).find((x) => !cel.has(x) && OPCODES[x]!.inLen >= 0 && ![OP.sanitize, 0x4401, 0x4400].includes(x));
      if (op === undefined) return skip('every known opcode is in the CEL');
      const r = await m.send(op, malformedInput(op)!);
      return verdict(r.rc === RC.unsupported, `${hex(op, 4)} ${opcodeName(op)} (not in CEL) → ${rcText(r.rc)}`);
    }),
  },
  {
    id: 'mbox.identify-output',
    title: 'Identify Memory Device returns ≥ 43h bytes with consistent capacities',
    spec: 'CXL 2.0 8.2.9.5.1.1',
    rationale: 'Linux rejects an Identify shorter than its struct (-EIO); capacities are 256 MiB multiples and total ≥ volatile + persistent.',
    kernelRule: (k) => k.probe.identifyOutLen,
    run: (e) => withMbox(e, async (m) => {
      const r = await m.send(OP.identifyMemdev);
      if (r.rc !== RC.success) return fail(`Identify → ${rcText(r.rc)}`);
      const id = decodeIdentifyMemdev(r.output);
      const need = Math.max(IDENTIFY_MEMDEV_LEN, e.kernel.probe.identifyOutLen.value);
      const ok = r.output.length >= need && id.totalBytes >= id.volatileOnlyBytes + id.persistentOnlyBytes && id.totalBytes > 0;
      return verdict(ok, `${r.output.length} B (Linux ${e.kernel.id} asks ${need}); total ${id.totalBytes}, volatile ${id.volatileOnlyBytes}, persistent ${id.persistentOnlyBytes}, alignment ${id.partitionAlignBytes}`);
    }),
  },
  {
    id: 'mbox.partition-info',
    title: 'Get Partition Info succeeds on a partitionable device',
    spec: 'CXL 2.0 8.2.9.5.2.1',
    rationale: 'Linux sends it when partition alignment ≠ 0 and fails the probe otherwise.',
    run: (e) => withMbox(e, async (m) => {
      const id = await identify(m);
      if (!id) return fail('Identify failed');
      if (id.partitionAlignBytes === 0) return skip('partition alignment 0: not partitionable');
      const r = await m.send(OP.getPartitionInfo);
      return verdict(r.rc === RC.success && r.output.length >= 0x20, `→ ${rcText(r.rc)}, ${r.output.length} B`);
    }),
  },
  {
    id: 'mbox.lsa-bounds',
    title: 'Get LSA past the end of the label area returns Invalid Input',
    spec: 'CXL 2.0 8.2.9.5.2.3',
    rationale: 'Offset + length beyond the LSA size must be rejected, not wrapped.',
    run: (e) => withMbox(e, async (m) => {
      const id = await identify(m);
      if (!id || id.lsaSize === 0) return skip('no LSA');
      const r = await m.send(OP.getLsa, encodeGetLsa(id.lsaSize - 8, 16));
      return verdict(r.rc === RC.invalidInput, `offset ${id.lsaSize - 8} length 16 (LSA ${id.lsaSize} B) → ${rcText(r.rc)}`);
    }),
  },
  {
    id: 'mbox.lsa-round-trip',
    title: 'Set LSA then Get LSA returns the written bytes',
    spec: 'CXL 2.0 8.2.9.5.2.3-4',
    rationale: 'Namespace labels live in the LSA; the original contents are restored afterwards.',
    run: (e) => withMbox(e, async (m) => {
      const id = await identify(m);
      if (!id || id.lsaSize < 64) return skip('no LSA');
      const off = id.lsaSize - 64;
      const old = await m.send(OP.getLsa, encodeGetLsa(off, 32));
      if (old.rc !== RC.success) return fail(`Get LSA → ${rcText(old.rc)}`);
      const pattern = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);
      const setIn = (data: Uint8Array) => {
        const b = new Uint8Array(8 + data.length);
        b[0] = off & 0xff; b[1] = (off >>> 8) & 0xff; b[2] = (off >>> 16) & 0xff; b[3] = off >>> 24;
        b.set(data, 8);
        return b;
      };
      const w = await m.send(OP.setLsa, setIn(pattern));
      const r = await m.send(OP.getLsa, encodeGetLsa(off, 32));
      await m.send(OP.setLsa, setIn(old.output));
      const same = r.output.length === 32 && r.output.every((b, i) => b === pattern[i]);
      return verdict(w.rc === RC.success && same, `Set LSA → ${rcText(w.rc)}; read back ${same ? 'matches' : 'differs'}`);
    }),
  },
  {
    id: 'mbox.background-busy',
    title: 'A second background command while one runs returns Busy',
    spec: 'CXL 2.0 8.2.8.4.7, 8.2.9.1.2',
    rationale: 'Only one background operation may run; MB Status bit 0 reports it running.',
    run: (e) => withMbox(e, async (m) => {
      const cel = (await e.cel()) ?? [];
      if (!cel.includes(OP.scanMedia)) return skip('Scan Media (4304h) not in the CEL');
      const id = await identify(m);
      if (!id) return fail('Identify failed');
      const scan = new Uint8Array(0x11);
      put64(scan, 0, 0);
      put64(scan, 8, Math.max(1, Math.floor(id.totalBytes / 64)));
      const first = await m.send(OP.scanMedia, scan, { noBackgroundWait: true });
      if (first.rc !== RC.backgroundStarted) return first.rc === RC.success ? skip('Scan Media completed in the foreground') : fail(`Scan Media → ${rcText(first.rc)}`);
      const st = await m.readStatus();
      const second = await m.send(OP.scanMedia, scan, { noBackgroundWait: true });
      const bg = await m.readBgStatus();
      for (let i = 0; i < 600 && (await m.readBgStatus()).percent < 100; i++) await e.sleep(100 * NS_PER_MS);
      const running = (st & 1n) === 1n;
      if (!running && bg.percent === 100) return skip('background operation finished before it could be observed');
      return verdict(running && second.rc === RC.busy, `MB Status after start ${hex(st, 16)}; second Scan Media → ${rcText(second.rc)}; BG status ${hex(bg.raw, 16)}`);
    }),
  },
  {
    id: 'mbox.background-status',
    title: 'Background Command Status reports the opcode and 100 % on completion',
    spec: 'CXL 2.0 8.2.8.4.7',
    rationale: 'Linux polls percentage complete and reads the return code there.',
    run: (e) => withMbox(e, async (m) => {
      const cel = (await e.cel()) ?? [];
      if (!cel.includes(OP.scanMedia)) return skip('Scan Media (4304h) not in the CEL');
      const scan = new Uint8Array(0x11);
      put64(scan, 8, 1);
      const r = await m.send(OP.scanMedia, scan);
      if (!r.background) return r.rc === RC.success ? skip('Scan Media completed in the foreground') : fail(`Scan Media → ${rcText(r.rc)}`);
      const bg = await m.readBgStatus();
      const st = await m.readStatus();
      return verdict(bg.opcode === OP.scanMedia && bg.percent === 100 && (st & 1n) === 0n && r.rc === RC.success, `BG Command Status = ${hex(bg.raw, 16)} (opcode ${hex(bg.opcode, 4)}, ${bg.percent} %, rc ${bg.rc}); MB Status ${hex(st, 16)}`);
    }),
  },
  {
    id: 'mbox.timestamp-round-trip',
    title: 'Get Timestamp after Set Timestamp is not earlier',
    spec: 'CXL 2.0 8.2.9.3.1-2',
    rationale: 'Event records carry the device timestamp Linux sets at probe (6.3 and later).',
    kernelRule: (k) => k.probe.setTimestamp,
    run: (e) => withMbox(e, async (m) => {
      const cel = (await e.cel()) ?? [];
      if (!cel.includes(OP.setTimestamp) || !cel.includes(OP.getTimestamp)) return skip('timestamp commands not in the CEL');
      const t0 = 1_700_000_000_000_000_000n;
      const inp = new Uint8Array(8);
      put64(inp, 0, t0);
      const s = await m.send(OP.setTimestamp, inp);
      const g = await m.send(OP.getTimestamp);
      const v = g.output.length >= 8 ? new DataView(g.output.buffer, g.output.byteOffset).getBigUint64(0, true) : 0n;
      return verdict(s.rc === RC.success && g.rc === RC.success && v >= t0, `set ${t0} → get ${v}`);
    }),
  },
];
void pass;
