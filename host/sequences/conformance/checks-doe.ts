// DOE / CDAT checks (PCIe 6.0 6.30; CXL 2.0 8.1.11; CDAT 1.0).

import { u16, u32, u64 } from '../../core/bytes.js';
import { cdatChecksumOk, cdatRead, doeFindCdatMailbox } from '../../core/doe.js';
import { OP, RC } from '../../core/mbox-opcodes.js';
import { decodeIdentifyMemdev } from '../../core/mbox-payloads.js';
import { fail, skip, verdict, type ConformanceCheck } from './check.js';

export const DOE_CHECKS: ConformanceCheck[] = [
  {
    id: 'doe.cdat-checksum',
    title: 'CDAT reads completely over DOE and its checksum is zero',
    spec: 'CXL 2.0 8.1.11; CDAT 1.0 Table 1',
    rationale: 'Linux: "Failed to read/validate CDAT." and no QoS data.',
    run: async (e) => {
      const pos = await doeFindCdatMailbox(e.t, e.sleep);
      if (!pos) return skip('no DOE mailbox answering CXL Table Access');
      const c = await cdatRead(e.t, pos, e.sleep);
      if (!c.ok) return fail(`CDAT read failed: ${c.error}`);
      return verdict(cdatChecksumOk(c.bytes) && u32(c.bytes, 0) === c.bytes.length, `${c.bytes.length} B in ${c.entries} entries, header length ${u32(c.bytes, 0)}`);
    },
  },
  {
    id: 'doe.cdat-dsmas-capacity',
    title: 'CDAT DSMAS ranges cover the device capacity',
    spec: 'CDAT 1.0 3.1; CXL 2.0 8.1.11',
    rationale: 'Each DPA range needs a DSMAS so the OS can place it in a QoS class.',
    run: async (e) => {
      if (!e.mbox) return skip('no mailbox');
      const pos = await doeFindCdatMailbox(e.t, e.sleep);
      if (!pos) return skip('no CDAT mailbox');
      const c = await cdatRead(e.t, pos, e.sleep);
      if (!c.ok) return fail(`CDAT read failed: ${c.error}`);
      let total = 0;
      const seen: string[] = [];
      for (let at = 16; at + 4 <= c.bytes.length; ) {
        const type = c.bytes[at]!;
        const len = u16(c.bytes, at + 2);
        if (len < 4) break;
        if (type === 0) {
          total += u64(c.bytes, at + 0x10);
          seen.push(`DSMAS ${c.bytes[at + 4]} base ${u64(c.bytes, at + 8).toString(16)} len ${u64(c.bytes, at + 0x10).toString(16)}`);
        }
        at += len;
      }
      const r = await e.mbox.send(OP.identifyMemdev);
      if (r.rc !== RC.success) return fail('Identify failed');
      const id = decodeIdentifyMemdev(r.output);
      return verdict(total >= id.volatileOnlyBytes + id.persistentOnlyBytes && seen.length > 0, `${seen.join('; ')}; DSMAS total ${total} vs capacity ${id.volatileOnlyBytes + id.persistentOnlyBytes}`);
    },
  },
];
