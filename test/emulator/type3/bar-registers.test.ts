import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../common/clock.js';
import type { BackgroundStatus, MailboxBackend, MediaStatus } from '../../../emulator/mailbox/backend.js';
import { defaultType3Config, type Type3Config } from '../../../emulator/type3/config.js';
import { createType3 } from '../../../emulator/type3/type3-device.js';
import { unsupportedBackend } from '../../../emulator/type3/unsupported-backend.js';
import { resolveBlock } from '../../../emulator/spec/blocks.js';
import { RC } from '../../../emulator/mailbox/return-codes.js';

const cfgOf = (over: Partial<Type3Config> = {}): Type3Config => ({ ...defaultType3Config(), ...over });

/** A fake backend: echoes the input reversed with rc = opcode & 0xff; status fields are settable. */
function fakeBackend() {
  const calls: { opcode: number; input: number[]; payloadSize: number }[] = [];
  const st = { events: 0, media: 1 as MediaStatus, ready: true, reset: 0, fatal: false, halt: false, bg: { running: false, opcode: 0, percent: 0, rc: 0, vendorStatus: 0 } as BackgroundStatus };
  const be: MailboxBackend = {
    execute(opcode, input, payloadSize) {
      calls.push({ opcode, input: [...input], payloadSize });
      return { rc: opcode & 0xff, output: Uint8Array.from([...input].reverse()) };
    },
    backgroundStatus: () => st.bg,
    eventStatus: () => st.events,
    mediaStatus: () => st.media,
    mailboxReady: () => st.ready,
    resetNeeded: () => st.reset,
    fatal: () => st.fatal,
    fwHalt: () => st.halt,
  };
  return { be, calls, st };
}

/** Device capability headers as a driver reads them (CXL 2.0 8.2.8.2): id -> offset. */
function devCaps(fn: { barRead64(bar: number, off: number): bigint }): Map<number, { off: number; len: number }> {
  const arr = fn.barRead64(2, 0);
  const count = Number((arr >> 32n) & 0xffffn);
  const out = new Map<number, { off: number; len: number }>();
  for (let i = 1; i <= count; i++) {
    const h = fn.barRead64(2, 0x10 * i);
    out.set(Number(h & 0xffffn), { off: Number(h >> 32n), len: Number(fn.barRead64(2, 0x10 * i + 8) & 0xffff_ffffn) });
  }
  return out;
}

describe('component registers (BAR0)', () => {
  it('CXL capability array at +0x1000: header ID 1 then RAS (2), Link (4), HDM (5)', () => {
    for (const profile of ['spec', 'qemu'] as const) {
      const { fn } = createType3(cfgOf({ profile }), new VirtualClock(), unsupportedBackend());
      const h = fn.barRead(0, 0x1000, 4);
      expect(h & 0xffff).toBe(1);
      const n = h >>> 24;
      const ids = [];
      for (let i = 1; i <= n; i++) ids.push(fn.barRead(0, 0x1000 + 4 * i, 4) & 0xffff);
      expect(ids).toEqual([2, 4, 5]);
    }
  });

  it('RAS capability header reports CXL_Capability_Version 2 in both profiles (CXL 2.0; QEMU writes 2)', () => {
    for (const profile of ['spec', 'qemu'] as const) {
      const { fn } = createType3(cfgOf({ profile }), new VirtualClock(), unsupportedBackend());
      const n = fn.barRead(0, 0x1000, 4) >>> 24;
      const hdrs = Array.from({ length: n }, (_, i) => fn.barRead(0, 0x1000 + 4 * (i + 1), 4));
      const ras = hdrs.find((h) => (h & 0xffff) === 2)!;
      expect((ras >>> 16) & 0xf).toBe(2);
    }
  });

  it('HDM decoder structure reports the configured decoder count', () => {
    const { fn } = createType3(cfgOf({ hdmDecoders: 2 }), new VirtualClock(), unsupportedBackend());
    const ptr = fn.barRead(0, 0x1000 + 12, 4) >>> 20;
    expect(fn.barRead(0, 0x1000 + ptr, 4) & 0xf).toBe(1); // encoding 1 = 2 decoders
  });

  it('cache/mem registers are 32-bit only: 8-byte and 2-byte accesses are bad-access and read 0', () => {
    const { fn } = createType3(cfgOf(), new VirtualClock(), unsupportedBackend());
    expect(fn.barRead64(0, 0x1000)).toBe(0n);
    expect(fn.lastStatus()).toBe(2);
    expect(fn.barRead(0, 0x1000, 2)).toBe(0);
    expect(fn.lastStatus()).toBe(2);
    expect(fn.barRead(0, 0x1000, 4)).not.toBe(0);
    expect(fn.lastStatus()).toBe(0);
    expect(fn.barRead(0, 0x10000, 4)).toBe(0xffff_ffff);
    expect(fn.lastStatus()).toBe(1);
  });

  it('RAS: masks reset to all defined bits; a masked error sets no status, First Error Pointer or Header Log', () => {
    for (const profile of ['spec', 'qemu'] as const) {
      const dev = createType3(cfgOf({ profile }), new VirtualClock(), unsupportedBackend());
      const ras = 0x1000 + (dev.fn.barRead(0, 0x1004, 4) >>> 20);
      expect(dev.fn.barRead(0, ras + 0x04, 4)).toBe(0x1cfff);
      expect(dev.fn.barRead(0, ras + 0x10, 4)).toBe(0x7f);
      const r = dev.injectRas('uncorrectable', 1 << 4, { header: Uint8Array.of(0xaa) });
      expect(r).toEqual({ requested: 1 << 4, set: 0, masked: 1 << 4, unmasked: 0 });
      expect(dev.injectRasError('correctable', 1)).toBe(0);
      expect(dev.fn.barRead(0, ras, 4)).toBe(0);
      expect(dev.fn.barRead(0, ras + 0x0c, 4)).toBe(0);
      expect(dev.fn.barRead(0, ras + 0x14, 4) & 0x3f).toBe(0);
      expect(dev.fn.barRead(0, ras + 0x18, 4)).toBe(0);
    }
  });

  it('RAS: with some bits unmasked, only those are recorded and the First Error Pointer names the lowest of them', () => {
    const dev = createType3(cfgOf(), new VirtualClock(), unsupportedBackend());
    const ras = 0x1000 + (dev.fn.barRead(0, 0x1004, 4) >>> 20);
    dev.fn.barWrite(0, ras + 0x04, 4, 0x1cfff & ~(1 << 14)); // software unmasks Internal_Error only
    const r = dev.injectRas('uncorrectable', (1 << 7) | (1 << 14), { header: Uint8Array.of(0x5a) });
    expect(r).toEqual({ requested: (1 << 7) | (1 << 14), set: 1 << 14, masked: 1 << 7, unmasked: 0 });
    expect(dev.fn.barRead(0, ras, 4)).toBe(1 << 14);
    expect(dev.fn.barRead(0, ras + 0x14, 4) & 0x3f).toBe(14);
    expect(dev.fn.barRead(0, ras + 0x18, 4)).toBe(0x5a);
    // A masked error after the first one leaves the recorded error's pointer and log alone.
    dev.fn.barWrite(0, ras + 0x04, 4, 0x1cfff);
    dev.injectRas('uncorrectable', 1 << 0, { header: Uint8Array.of(0x11) });
    expect(dev.fn.barRead(0, ras, 4)).toBe(1 << 14);
    expect(dev.fn.barRead(0, ras + 0x18, 4)).toBe(0x5a);
  });

  it('RAS: unmask clears the requested mask bits (as software would) before recording; other masks stay', () => {
    const dev = createType3(cfgOf(), new VirtualClock(), unsupportedBackend());
    const ras = 0x1000 + (dev.fn.barRead(0, 0x1004, 4) >>> 20);
    const r = dev.injectRas('correctable', 0x3 | 0x100, { unmask: true });
    expect(r).toEqual({ requested: 0x3, set: 0x3, masked: 0, unmasked: 0x3 });
    expect(dev.fn.barRead(0, ras + 0x10, 4)).toBe(0x7c);
    expect(dev.fn.barRead(0, ras + 0x0c, 4)).toBe(0x3);
    expect(dev.fn.barRead(0, ras + 0x14, 4) & 0x3f).toBe(0); // correctable errors have no First Error Pointer
  });

  it('RAS: unmasked uncorrectable errors set status + First Error Pointer + Header Log, RW1CS clears', () => {
    const dev = createType3(cfgOf(), new VirtualClock(), unsupportedBackend());
    const ras = 0x1000 + (dev.fn.barRead(0, 0x1004, 4) >>> 20);
    dev.fn.barWrite(0, ras + 0x04, 4, 0);
    dev.fn.barWrite(0, ras + 0x10, 4, 0);
    expect(dev.injectRasError('uncorrectable', (1 << 14) | (1 << 7) | (1 << 13), Uint8Array.of(0xaa, 0xbb))).toBe((1 << 14) | (1 << 7));
    expect(dev.fn.barRead(0, ras, 4)).toBe((1 << 14) | (1 << 7));
    expect(dev.fn.barRead(0, ras + 0x14, 4) & 0x3f).toBe(7);
    expect(dev.fn.barRead(0, ras + 0x18, 4)).toBe(0xbbaa);
    dev.fn.barWrite(0, ras, 4, 1 << 7);
    expect(dev.fn.barRead(0, ras, 4)).toBe(1 << 14);
    expect(dev.fn.barRead(0, ras + 0x14, 4) & 0x3f).toBe(14);
    dev.injectRasError('correctable', 0xff);
    expect(dev.fn.barRead(0, ras + 0x0c, 4)).toBe(0x7f);
    dev.reset('warm');
    expect(dev.fn.barRead(0, ras, 4)).toBe(1 << 14); // RW1CS survives a warm reset
    expect(dev.fn.barRead(0, ras + 0x04, 4)).toBe(0); // and so does the RWS mask software wrote
  });

  it('RAS: a warm reset keeps First Error Pointer and Header Log (ROS) with the sticky status; a cold reset clears them', () => {
    const dev = createType3(cfgOf(), new VirtualClock(), unsupportedBackend());
    const ras = 0x1000 + (dev.fn.barRead(0, 0x1004, 4) >>> 20);
    dev.injectRas('uncorrectable', 1 << 10, { header: Uint8Array.of(0x11, 0x22, 0x33, 0x44), unmask: true });
    dev.reset('warm');
    // CXL 2.0 8.2.5.9.7-8: ROS. Linux reads the pointer when several status bits are set (__cxl_handle_ras).
    expect(dev.fn.barRead(0, ras, 4)).toBe(1 << 10);
    expect(dev.fn.barRead(0, ras + 0x14, 4) & 0x3f).toBe(10);
    expect(dev.fn.barRead(0, ras + 0x18, 4)).toBe(0x4433_2211);
    dev.reset('cold');
    expect(dev.fn.barRead(0, ras, 4)).toBe(0);
    expect(dev.fn.barRead(0, ras + 0x04, 4)).toBe(0x1cfff);
    expect(dev.fn.barRead(0, ras + 0x14, 4) & 0x3f).toBe(0);
    expect(dev.fn.barRead(0, ras + 0x18, 4)).toBe(0);
  });
});

describe('device registers (BAR2)', () => {
  it('capability array lists device status, primary mailbox and memory device status', () => {
    const { fn } = createType3(cfgOf({ payloadSizeLog2: 12 }), new VirtualClock(), unsupportedBackend());
    const caps = devCaps(fn);
    expect([...caps.keys()]).toEqual([1, 2, 0x4000]);
    expect(caps.get(2)!.len).toBe(0x20 + 4096);
    expect(fn.barRead(2, caps.get(2)!.off, 4) & 0x1f).toBe(12);
  });

  it('qemu profile layout: status 0x80, mailbox 0x88, memdev 0x8A8, 4 KiB BAR', () => {
    const { fn } = createType3(cfgOf({ profile: 'qemu' }), new VirtualClock(), unsupportedBackend());
    const caps = devCaps(fn);
    expect([caps.get(1)!.off, caps.get(2)!.off, caps.get(0x4000)!.off]).toEqual([0x80, 0x88, 0x8a8]);
    expect(fn.barSizes()[2]).toBe(0x1000);
  });

  it('doorbell handshake: command + payload in, backend runs once, output/length/rc out, doorbell clear', () => {
    const { be, calls } = fakeBackend();
    const dev = createType3(cfgOf(), new VirtualClock(), be);
    const mb = devCaps(dev.fn).get(2)!.off;
    const records: number[] = [];
    dev.onMailbox((r) => records.push(r.returnCode));
    dev.fn.barWrite(2, mb + 0x20, 4, 0x0403_0201);
    dev.fn.barWrite(2, mb + 0x24, 1, 0x05);
    dev.fn.barWrite64(2, mb + 0x08, 0x4202n | (5n << 16n));
    expect(calls).toHaveLength(0);
    dev.fn.barWrite(2, mb + 0x04, 4, 1);
    expect(calls).toEqual([{ opcode: 0x4202, input: [1, 2, 3, 4, 5], payloadSize: 2048 }]);
    expect(dev.fn.barRead(2, mb + 0x04, 4) & 1).toBe(0);
    const status = dev.fn.barRead64(2, mb + 0x10);
    expect(Number((status >> 32n) & 0xffffn)).toBe(0x02);
    const cmd = dev.fn.barRead64(2, mb + 0x08);
    expect(Number(cmd & 0xffffn)).toBe(0x4202);
    expect(Number((cmd >> 16n) & 0x1fffffn)).toBe(5);
    expect(dev.fn.barRead(2, mb + 0x20, 4)).toBe(0x0203_0405);
    expect(records).toEqual([2]);
  });

  it('an input length beyond the payload area returns Invalid Payload Length without running the command', () => {
    const { be, calls } = fakeBackend();
    const dev = createType3(cfgOf({ payloadSizeLog2: 8 }), new VirtualClock(), be);
    const mb = devCaps(dev.fn).get(2)!.off;
    dev.fn.barWrite64(2, mb + 0x08, 0x0001n | (257n << 16n));
    dev.fn.barWrite(2, mb + 0x04, 4, 1);
    expect(calls).toHaveLength(0);
    expect(Number((dev.fn.barRead64(2, mb + 0x10) >> 32n) & 0xffffn)).toBe(0x16);
  });

  it('device status, memory device status and background status are live from the backend', () => {
    const { be, st } = fakeBackend();
    const dev = createType3(cfgOf(), new VirtualClock(), be);
    const caps = devCaps(dev.fn);
    st.events = 0b0101;
    expect(dev.fn.barRead64(2, caps.get(1)!.off)).toBe(5n);
    expect(dev.fn.barRead64(2, caps.get(0x4000)!.off)).toBe(0x14n); // media ready, mailbox ready
    Object.assign(st, { media: 3, ready: false, reset: 2, fatal: true, halt: true });
    expect(dev.fn.barRead64(2, caps.get(0x4000)!.off)).toBe(BigInt(1 | 2 | (3 << 2) | (2 << 5)));
    st.bg = { running: true, opcode: 0x4400, percent: 42, rc: 0, vendorStatus: 0 };
    const mb = caps.get(2)!.off;
    expect(dev.fn.barRead(2, mb + 0x10, 4) & 1).toBe(1);
    expect(dev.fn.barRead64(2, mb + 0x18)).toBe(0x4400n | (42n << 16n));
  });

  it('the default backend is the standard command set: Identify Memory Device succeeds', () => {
    const dev = createType3(cfgOf(), new VirtualClock());
    const mb = devCaps(dev.fn).get(2)!.off;
    dev.fn.barWrite64(2, mb + 0x08, 0x4000n);
    dev.fn.barWrite(2, mb + 0x04, 4, 1);
    expect(Number((dev.fn.barRead64(2, mb + 0x10) >> 32n) & 0xffffn)).toBe(0);
    expect(Number((dev.fn.barRead64(2, mb + 0x08) >> 16n) & 0x1fffffn)).toBeGreaterThan(0);
  });
});

describe('layout and registry', () => {
  it('every placed block resolves through emulator/spec to the declaration the device runs', () => {
    for (const profile of ['spec', 'qemu'] as const) {
      const dev = createType3(cfgOf({ profile }), new VirtualClock(), unsupportedBackend());
      const layout = dev.layout();
      expect(layout.length).toBeGreaterThan(15);
      const regions = new Set(layout.map((p) => p.region));
      expect([...regions].sort()).toEqual(['bar0', 'bar2', 'bar4', 'cfg']);
      for (const p of layout) {
        const decl = resolveBlock(p.block, p.params);
        expect(decl, p.block).toBeDefined();
        const blk = dev.block(p.block, p.region);
        expect(blk).toBeDefined();
      }
      // Same (id, params) -> identical declaration, e.g. for the DVSEC at its placed offset.
      const d0 = layout.find((p) => p.block === 'dvsec-cxl-device')!;
      expect(resolveBlock(d0.block, d0.params)).toEqual(dev.block('dvsec-cxl-device')!.decl);
    }
  });
});

describe('DVSEC 0 Memory_Active', () => {
  it('follows the media state the backend reports', () => {
    const { be, st } = fakeBackend();
    const dev = createType3(cfgOf(), new VirtualClock(), be);
    const d0 = dev.layout().find((p) => p.block === 'dvsec-cxl-device')!.base;
    expect(dev.fn.cfgRead(d0 + 0x1c, 4) & 3).toBe(3);
    st.media = 0;
    expect(dev.fn.cfgRead(d0 + 0x1c, 4) & 3).toBe(1);
    expect(dev.fn.cfgRead(d0 + 0x2c, 4) & 3).toBe(1);
  });
});

describe('mailbox Status register decode', () => {
  it('names every return code the command set can answer (Return Code [47:32] of Mailbox Status)', () => {
    const decl = resolveBlock('cxl-mailbox', {})!;
    const status = decl.registers.find((r) => r.offset === 0x10)!;
    const rcField = status.fields.find((f) => f.bits[0] === 47 && f.bits[1] === 32)!;
    for (const [name, code] of Object.entries(RC)) expect(rcField.values?.[code], `${name} 0x${code.toString(16)}`).toBeDefined();
  });
});
