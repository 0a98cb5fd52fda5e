// Device profile 'spec-2.0': a device that claims CXL 2.0 is CXL 2.0 throughout — bits 2.0 reserves read 0,
// 2.0's mailbox command set and Identify length — while 'spec' keeps the r3.x forms. Both probe under every
// kernel profile.

import { describe, expect, it } from 'vitest';
import { OP } from '../../emulator/mailbox/opcodes.js';
import { MailboxClient } from '../../host/core/mbox.js';
import { decodeCel, encodeGetLog, CEL_UUID, decodeSupportedLogs } from '../../host/core/mbox-payloads.js';
import { discoverFunction } from '../../host/core/discover.js';
import { KERNEL_IDS } from '../../host/kernels/index.js';
import { linuxProbeRun } from '../../host/sequences/linux-probe/index.js';
import { envOf } from '../host/run-env.js';
import { realDevice } from '../host/real-device.js';

async function facts(profile: 'spec' | 'spec-2.0') {
  const { target, ctx } = realDevice({ profile });
  const c = await MailboxClient.connect(target, envOf(ctx));
  if ('error' in c) throw new Error(c.error);
  const id = await c.send(OP.identifyMemoryDevice);
  const logs = decodeSupportedLogs((await c.send(OP.getSupportedLogs)).output);
  const size = logs.entries.find((e) => e.uuid === CEL_UUID)!.size;
  const cel = decodeCel((await c.send(OP.getLog, encodeGetLog(CEL_UUID, 0, size))).output).map((e) => e.opcode);
  const hdm = (await discoverFunction(target)).layout.blocks.find((b) => b.block === 'cxl-hdm-decoder')!;
  const hdmCap = await target.barRead(0, hdm.base, 4);
  return { idLen: id.output.length, cel, hdmCap };
}

describe("device profile 'spec-2.0'", () => {
  it('answers Identify with 2.0’s 0x43 bytes, has no r3.x commands and leaves HDM capability [12:11] reserved', async () => {
    const f = await facts('spec-2.0');
    expect(f.idLen).toBe(0x43);
    for (const op of [0x0005, 0x0500, 0x0501, 0x0502]) expect(f.cel).not.toContain(op);
    expect(f.cel).toContain(0x4000);
    expect(f.hdmCap & 0x1800).toBe(0);
    expect(f.hdmCap & 0x300).toBe(0x300);
  });

  it("'spec' keeps the later revision's forms (0x45-byte Identify, Features, 3/6/12 and 16-way)", async () => {
    const f = await facts('spec');
    expect(f.idLen).toBe(0x45);
    expect(f.cel).toContain(0x0500);
    expect(f.hdmCap & 0x1800).toBe(0x1800);
  });

  it('probes under every kernel profile', async () => {
    for (const kernel of KERNEL_IDS) {
      const { ctx } = realDevice({ profile: 'spec-2.0' });
      const r = await linuxProbeRun(ctx, { kernel });
      expect(ctx.steps.filter((s) => s.verdict === 'fail'), kernel).toEqual([]);
      expect(r.endpoints[0]!.cxlMem, kernel).toBe(true);
    }
  });
});
