// Device register checks: capability array (CXL 2.0 8.2.8.1-2), mailbox registers (8.2.8.4), memory device
// status (8.2.8.5), event status (8.2.8.3).

import { bits64, hex } from '../../core/bytes.js';
import { MBOX } from '../../core/mbox.js';
import { memdevStatusDecode } from '../../core/memdev.js';
import { DEVCAP } from '../../core/regs.js';
import { barLoc, checkReadOnly, fail, skip, verdict, type CheckEnv, type ConformanceCheck } from './check.js';

const dev = (e: CheckEnv) => e.f.device;
const mb = (e: CheckEnv) => e.mbox?.regs ?? null;

export const DEVICE_CHECKS: ConformanceCheck[] = [
  {
    id: 'dev.cap-array-header',
    title: 'Device capability array: ID 0, version 1',
    spec: 'CXL 2.0 8.2.8.1',
    rationale: 'Linux ignores the whole block unless the array ID is 0.',
    run: async (e) => {
      const d = dev(e);
      if (!d) return fail('no device register block');
      return verdict(d.array.capId === 0 && d.array.version === 1 && d.array.count >= 3, `Capabilities Array = ${hex(d.array.raw, 16)} (ID ${d.array.capId}, version ${d.array.version}, count ${d.array.count})`);
    },
  },
  {
    id: 'dev.required-capabilities',
    title: 'Device Status, Primary Mailbox and Memory Device capabilities present',
    spec: 'CXL 2.0 8.2.8.2.1',
    rationale: 'Linux: "registers not found: status mbox memdev" fails the probe.',
    run: async (e) => {
      const d = dev(e);
      if (!d) return fail('no device register block');
      const ids = d.array.caps.map((c) => c.id);
      return verdict([DEVCAP.status, DEVCAP.primaryMailbox, DEVCAP.memdev].every((x) => ids.includes(x)), `IDs ${ids.map((x) => hex(x, 4)).join(', ')}`);
    },
  },
  {
    id: 'dev.capabilities-disjoint',
    title: 'Capability structures do not overlap each other or the array',
    spec: 'CXL 2.0 8.2.8.2',
    rationale: 'Overlapping structures make one register answer for two.',
    run: async (e) => {
      const d = dev(e);
      if (!d) return skip('no device register block');
      const spans = [[0, 0x10 * (d.array.count + 1)] as const, ...d.array.caps.map((c) => [c.offset, c.offset + c.length] as const)].sort((a, b) => a[0] - b[0]);
      const overlap = spans.some((s, i) => i > 0 && s[0] < spans[i - 1]![1]);
      return verdict(!overlap, spans.map(([a, b]) => `${hex(a)}-${hex(b)}`).join(', '));
    },
  },
  {
    id: 'dev.cap-array-read-only',
    title: 'Device capability array is read-only',
    spec: 'CXL 2.0 8.2.8.1',
    rationale: 'RO: software cannot relocate the mailbox.',
    run: (e) => checkReadOnly(e, dev(e) ? barLoc(dev(e)!.bar, dev(e)!.base + 0x14, 4, 'Capability Header 1 Offset') : null),
  },
  {
    id: 'mbox.payload-size',
    title: 'Mailbox payload size between 256 B and 1 MiB',
    spec: 'CXL 2.0 8.2.8.4.3',
    rationale: 'Linux: "Mailbox is too small" below 256 B; the field range is 8-20.',
    run: async (e) => {
      if (!e.mbox) return fail('no mailbox');
      const n = e.mbox.capsRaw & 0x1f;
      return verdict(n >= 8 && n <= 20, `MB Capabilities = ${hex(e.mbox.capsRaw)} (Payload Size ${n})`);
    },
  },
  {
    id: 'mbox.capabilities-read-only',
    title: 'Mailbox Capabilities register is read-only',
    spec: 'CXL 2.0 8.2.8.4.3',
    rationale: 'RO: the payload size cannot be changed by a write.',
    run: (e) => checkReadOnly(e, mb(e) ? barLoc(mb(e)!.bar, mb(e)!.mbox + MBOX.caps, 4, 'MB Capabilities') : null),
  },
  {
    id: 'mbox.doorbell-idle',
    title: 'Doorbell is clear when no command is pending',
    spec: 'CXL 2.0 8.2.8.4.4',
    rationale: 'Linux waits for the doorbell at set-up: "timeout awaiting mailbox idle".',
    run: async (e) => {
      if (!mb(e)) return skip('no mailbox');
      const v = await e.t.barRead(mb(e)!.bar, mb(e)!.mbox + MBOX.ctrl, 4);
      return verdict(!(v & 1), `MB Control = ${hex(v)}`);
    },
  },
  {
    id: 'mbox.status-read-only',
    title: 'Mailbox Status is read-only',
    spec: 'CXL 2.0 8.2.8.4.6',
    rationale: 'Return codes come from the device; a host write must not change them.',
    run: (e) => checkReadOnly(e, mb(e) ? barLoc(mb(e)!.bar, mb(e)!.mbox + MBOX.status + 4, 4, 'MB Status [63:32]') : null),
  },
  {
    id: 'memdev.ready',
    title: 'Memory Device Status: mailbox ready, media ready, no fatal state',
    spec: 'CXL 2.0 8.2.8.5.1.1',
    rationale: 'Linux waits for Mailbox Interfaces Ready and media status Ready.',
    run: async (e) => {
      if (!mb(e)) return skip('no mailbox');
      const s = memdevStatusDecode(await e.t.barRead64(mb(e)!.bar, mb(e)!.memdev));
      return verdict(s.mailboxReady && s.media === 1 && !s.fatal && !s.fwHalt, `Memory Device Status = ${hex(s.raw, 16)}`);
    },
  },
  {
    id: 'memdev.reserved',
    title: 'Memory Device Status bits [63:8] read zero',
    spec: 'CXL 2.0 8.2.8.5.1.1',
    rationale: 'Reserved bits must read zero so future fields can be added.',
    run: async (e) => {
      if (!mb(e)) return skip('no mailbox');
      const raw = await e.t.barRead64(mb(e)!.bar, mb(e)!.memdev);
      return verdict(raw >> 8n === 0n, `Memory Device Status = ${hex(raw, 16)}`);
    },
  },
  {
    id: 'dev.event-status-reserved',
    title: 'Event Status bits [63:5] read zero',
    spec: 'CXL 2.0 8.2.8.3.1',
    rationale: 'Only the informational, warning, failure, fatal (and DCD) log bits are defined.',
    run: async (e) => {
      if (!mb(e)?.status) return skip('no device status capability');
      const raw = await e.t.barRead64(mb(e)!.bar, mb(e)!.status);
      return verdict(bits64(raw, 63, 5) === 0, `Event Status = ${hex(raw, 16)}`);
    },
  },
];
