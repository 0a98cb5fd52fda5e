import { describe, expect, it } from 'vitest';
import { linuxProbeRun } from '../../host/sequences/linux-probe/index.js';
import { FakeType3 } from './fake-type3.js';
import { makeCtx, patchTarget } from './run-env.js';
import { realDevice } from './real-device.js';

const fails = (ctx: { steps: Array<{ verdict: string; name: string; reason: string; evidence?: string }> }) => ctx.steps.filter((s) => s.verdict === 'fail');

describe('linux-probe on the emulated Type 3 device', () => {
  it('passes every step and binds cxl_pci and cxl_mem', async () => {
    const { ctx } = realDevice();
    const r = await linuxProbeRun(ctx);
    expect(fails(ctx)).toEqual([]);
    expect(ctx.steps.filter((s) => s.verdict === 'warn')).toEqual([]);
    expect(r.endpoints).toEqual([{ node: 'hb0.rp0.ep0', cxlPci: true, cxlMem: true }]);
    const names = ctx.steps.map((s) => s.name.replace('hb0.rp0.ep0: ', ''));
    // the kernel's order: registers, media, mailbox, CEL, identify, events, decoders
    const order = ['AER init', 'enable device', 'DSN', 'DVSEC 0', 'device capability array', 'media ready', 'mailbox ready', 'Get Supported Logs', 'Get Log (CEL)', 'Identify Memory Device', 'event records', 'HDM decoder capability', 'decoders', 'LSA'];
    const idx = order.map((n) => names.indexOf(n));
    expect(idx.every((i) => i >= 0)).toBe(true);
    expect([...idx].sort((a, b) => a - b)).toEqual(idx);
    expect(r.summary).toMatch(/linux-probe: \d+ pass, 0 warn, 0 fail/);
  });

  it('enables Memory Space and Bus Master before touching the BARs (pcim_enable_device, pci_set_master)', async () => {
    const { dev, ctx } = realDevice();
    expect(dev.fn.cfgRead(0x04, 2) & 0x6).toBe(0);
    await linuxProbeRun(ctx);
    expect(dev.fn.cfgRead(0x04, 2) & 0x6).toBe(0x6);
  });

  it('a device without DVSEC 0 warns "Device DVSEC not present, skip CXL.mem init" and cxl_mem does not bind', async () => {
    // Hide DVSEC 0 by rewriting the DVSEC ID word of the DVSEC at its offset into a vendor-specific one.
    const probe = realDevice();
    const { pciDvsecs } = await import('../../host/core/pci.js');
    const d0 = (await pciDvsecs(probe.target)).find((d) => d.id === 0)!;
    const { ctx } = realDevice({}, 'hb0.rp0.ep0', (t) => patchTarget(t, { cfg: { [d0.offset + 4]: 0x0381_1234 } }));
    const r = await linuxProbeRun(ctx);
    const w = ctx.steps.find((s) => s.name.endsWith('DVSEC 0'))!;
    expect(w.verdict).toBe('warn');
    expect(w.reason).toBe('Device DVSEC not present, skip CXL.mem init [Linux 6.12]');
    expect(r.endpoints[0]!.cxlPci).toBe(true);
    expect(r.endpoints[0]!.cxlMem).toBe(false);
  });

  it('a 128-byte mailbox fails the probe with "Mailbox is too small (128b)" and the capability as evidence', async () => {
    const { ctx } = realDevice({}, 'hb0.rp0.ep0', (t) => {
      // MB Capabilities is at the mailbox base; find it through the real device registers.
      return t;
    });
    const { MailboxClient } = await import('../../host/core/mbox.js');
    const c = await MailboxClient.connect(ctx.targets.get('hb0.rp0.ep0')!, { sleep: ctx.sleep, now: () => 0, sink: null });
    if ('error' in c) throw new Error(c.error);
    const bar = c.regs.bar;
    const off = c.regs.mbox;
    const real = realDevice({}, 'hb0.rp0.ep0', (t) => patchTarget(t, { bar: { [`${bar}:${off}`]: (c.capsRaw & ~0x1f) | 7 } }));
    const r = await linuxProbeRun(real.ctx);
    const f = fails(real.ctx);
    expect(f).toHaveLength(1);
    expect(f[0]!.reason).toContain('Mailbox is too small (128b)');
    expect(f[0]!.evidence).toContain('Payload Size 7');
    expect(r.endpoints[0]!.cxlPci).toBe(false);
  });

  it('media that never becomes active times out after 60 virtual seconds with the kernel message', async () => {
    const dev = new FakeType3('ep0', { mediaReady: false });
    const ctx = makeCtx([dev]);
    const r = await linuxProbeRun(ctx);
    const m = ctx.steps.find((s) => s.name === 'ep0: media ready')!;
    expect(m.verdict).toBe('fail');
    expect(m.reason).toContain('timeout awaiting memory active after 60 seconds');
    expect(m.evidence).toContain('Memory_Active=0');
    expect(ctx.clock.now()).toBeGreaterThanOrEqual(60e9);
    expect(r.endpoints[0]).toEqual({ node: 'ep0', cxlPci: true, cxlMem: false });
  });

  it('honours a shorter media_ready_timeout', async () => {
    const ctx = makeCtx([new FakeType3('ep0', { mediaReady: false })]);
    await linuxProbeRun(ctx, { mediaReadyTimeoutS: 5 });
    expect(ctx.steps.find((s) => s.name === 'ep0: media ready')!.reason).toContain('after 5 seconds');
  });

  it('a mailbox that never reports ready fails with "timeout awaiting mailbox ready" after mbox_ready_timeout', async () => {
    const ctx = makeCtx([new FakeType3('ep0', { mailboxReady: false })]);
    const r = await linuxProbeRun(ctx);
    const f = fails(ctx).find((s) => s.name === 'ep0: mailbox ready')!;
    expect(f.reason).toContain('timeout awaiting mailbox ready, device state');
    expect(f.evidence).toContain('Mailbox Interfaces Ready=0');
    expect(r.endpoints[0]!.cxlPci).toBe(false);
  });

  it('missing memdev capability fails with "registers not found: memdev"', async () => {
    const dev = new FakeType3('ep0');
    // Capability header 3 (memdev, ID 0x4000) → ID 0x0005 (unknown).
    const ctx = makeCtx([patchTarget(dev, { bar: { '2:48': 0x0001_0005 } })]);
    await linuxProbeRun(ctx);
    const f = fails(ctx);
    expect(f[0]!.reason).toContain('registers not found: memdev');
  });

  it('runs against the fake device too (a second implementation of the spec)', async () => {
    const ctx = makeCtx([new FakeType3('ep0')]);
    const r = await linuxProbeRun(ctx);
    expect(fails(ctx)).toEqual([]);
    expect(r.endpoints[0]!.cxlMem).toBe(true);
  });
});

describe('linux-probe mailbox traffic matches cxl_pci_probe (v6.8-v6.12)', () => {
  it('sends no Get FW Info at probe and reads each event log until a Get Event Records returns no record', async () => {
    const { dev, ctx } = realDevice();
    const inj = (dev.backend as unknown as { inject: { injectEvent(l: string, k: string, f: object): number } }).inject;
    inj.injectEvent('warning', 'general-media', {});
    const sent: Array<{ opcode: number; log: number; records: number }> = [];
    dev.onMailbox((m) => sent.push({ opcode: m.opcode, log: m.input[0] ?? -1, records: m.output.length >= 0x16 ? m.output[0x14]! | (m.output[0x15]! << 8) : -1 }));
    await linuxProbeRun(ctx);
    // devm_cxl_setup_fw_upload sends nothing; cxl_fw_prepare sends Get FW Info only when an upload starts.
    expect(sent.some((m) => m.opcode === 0x0200)).toBe(false);
    // Nor is the poison list read at probe (only on a trigger_poison_list write).
    expect(sent.some((m) => m.opcode === 0x4300)).toBe(false);
    expect(ctx.steps.find((s) => s.name.endsWith('firmware upload'))!.verdict).toBe('pass');
    // cxl_mem_get_records_log: get (1 record) → clear → get (0 records) for the warning log.
    const warn = sent.filter((m) => (m.opcode === 0x0100 || m.opcode === 0x0101) && m.log === 1);
    expect(warn.map((m) => [m.opcode, m.opcode === 0x0100 ? m.records : null])).toEqual([
      [0x0100, 1],
      [0x0101, null],
      [0x0100, 0],
    ]);
  });
});

describe('linux-probe event interrupt set-up (cxl_event_irqsetup)', () => {
  it('fails with "Failed to get interrupt for event Info log" when the policy does not read back as MSI/MSI-X', async () => {
    const { dev, ctx } = realDevice();
    const real = dev.backend;
    // A device that acknowledges Set Event Interrupt Policy but keeps "no interrupts" (mode 0) for every log.
    dev.setBackend(Object.assign(Object.create(real) as typeof real, {
      execute: (op: number, input: Uint8Array, size: number) => (op === 0x0103 ? { rc: 0, output: new Uint8Array(0) } : real.execute(op, input, size)),
    }));
    const r = await linuxProbeRun(ctx);
    const f = fails(ctx);
    expect(f).toHaveLength(1);
    expect(f[0]!.reason).toContain('Failed to get interrupt for event Info log');
    expect(r.endpoints[0]!.cxlPci).toBe(false);
  });
});

describe('linux-probe CDAT read (read_cdat_data)', () => {
  it('asks for the CDAT length (handle 0) once, then reads every entry from handle 0', async () => {
    const requests: number[] = [];
    let dword = -1; // index within the current Table Access request: 0 header, 1 length, 2 handle
    const { dev, ctx } = realDevice({}, 'hb0.rp0.ep0', (t) => ({
      ...t,
      node: t.node,
      backend: t.backend,
      cfgRead: (o: number, w: 1 | 2 | 4) => t.cfgRead(o, w),
      cfgWrite: (o: number, w: 1 | 2 | 4, v: number) => {
        // DOE Write Data Mailbox: a CXL Table Access request is header (vendor 1E98h, type 2), length, then the
        // dword whose [31:16] is the entry handle.
        if (o === doeAt + 0x10) {
          dword = v >>> 0 === 0x0002_1e98 ? 0 : dword >= 0 ? dword + 1 : -1;
          if (dword === 2) requests.push(v >>> 16);
        }
        return t.cfgWrite(o, w, v);
      },
      barRead: (b: number, o: number, w: 1 | 2 | 4) => t.barRead(b, o, w),
      barWrite: (b: number, o: number, w: 1 | 2 | 4, v: number) => t.barWrite(b, o, w, v),
      barRead64: (b: number, o: number) => t.barRead64(b, o),
      barWrite64: (b: number, o: number, v: bigint) => t.barWrite64(b, o, v),
    }));
    const doeAt = dev.layout().find((p) => p.block === 'pci-doe')!.base;
    await linuxProbeRun(ctx);
    const entries = dev.cdat.length;
    expect(requests).toEqual([0, ...Array.from({ length: entries }, (_, i) => i)]);
    expect(ctx.steps.find((x) => x.name.endsWith('CDAT'))!.verdict).toBe('pass');
  });
});

describe('linux-probe mailbox set-up order (cxl_pci_setup_mailbox)', () => {
  it('reads MB Capabilities before polling Memory Device Status for Mailbox Interfaces Ready', async () => {
    const reads: number[] = [];
    const rec = (t: import('../../common/target.js').Target) => ({
      ...t,
      node: t.node,
      backend: t.backend,
      cfgRead: (o: number, w: 1 | 2 | 4) => t.cfgRead(o, w),
      cfgWrite: (o: number, w: 1 | 2 | 4, v: number) => t.cfgWrite(o, w, v),
      barRead: (b: number, o: number, w: 1 | 2 | 4) => (reads.push(o), t.barRead(b, o, w)),
      barWrite: (b: number, o: number, w: 1 | 2 | 4, v: number) => t.barWrite(b, o, w, v),
      barRead64: (b: number, o: number) => (reads.push(o), t.barRead64(b, o)),
      barWrite64: (b: number, o: number, v: bigint) => t.barWrite64(b, o, v),
    });
    const { dev, ctx } = realDevice({}, 'hb0.rp0.ep0', rec);
    const at = (kind: string) => dev.layout().find((p) => p.block === kind && p.region === 'bar2')!.base;
    const caps = at('cxl-mailbox');
    const memdev = at('cxl-memdev-status');
    await linuxProbeRun(ctx);
    const firstCaps = reads.indexOf(caps);
    // Before it: only cxl_await_media_ready's one Memory Device Status read.
    expect(reads.slice(0, firstCaps).filter((o) => o === memdev)).toHaveLength(1);
    expect(reads.slice(firstCaps + 1).indexOf(memdev)).toBeGreaterThanOrEqual(0);
  });
});

describe('linux-probe DVSEC range decode (cxl_dvsec_rr_decode)', () => {
  const recording = (reads: number[]) => (t: import('../../common/target.js').Target) => ({
    ...t,
    node: t.node,
    backend: t.backend,
    cfgRead: (o: number, w: 1 | 2 | 4) => (reads.push(o), t.cfgRead(o, w)),
    cfgWrite: (o: number, w: 1 | 2 | 4, v: number) => t.cfgWrite(o, w, v),
    barRead: (b: number, o: number, w: 1 | 2 | 4) => t.barRead(b, o, w),
    barWrite: (b: number, o: number, w: 1 | 2 | 4, v: number) => t.barWrite(b, o, w, v),
    barRead64: (b: number, o: number) => t.barRead64(b, o),
    barWrite64: (b: number, o: number, v: bigint) => t.barWrite64(b, o, v),
  });

  it('does not read the range base registers while Mem_Enable is clear (the ranges are moot)', async () => {
    const reads: number[] = [];
    const { dev, ctx } = realDevice({}, 'hb0.rp0.ep0', recording(reads));
    const d = dev.layout().find((p) => p.block === 'dvsec-cxl-device')!.base;
    await linuxProbeRun(ctx);
    expect(reads).toContain(d + 0x1c); // Range 1 Size Low: cxl_await_media_ready
    for (const off of [0x20, 0x24, 0x30, 0x34]) expect(reads, `DVSEC +${off.toString(16)}`).not.toContain(d + off);
  });

  it('reads the ranges once firmware has set Mem_Enable', async () => {
    const reads: number[] = [];
    const { dev, ctx } = realDevice({}, 'hb0.rp0.ep0', recording(reads));
    const d = dev.layout().find((p) => p.block === 'dvsec-cxl-device')!.base;
    dev.fn.cfgWrite(d + 0x0c, 2, 0x0006);
    await linuxProbeRun(ctx);
    for (const off of [0x18, 0x1c, 0x20, 0x24]) expect(reads).toContain(d + off);
  });
});

describe('linux-probe error-reporting set-up (pci_aer_init, cxl_pci_ras_unmask)', () => {
  const rasOf = (dev: ReturnType<typeof realDevice>['dev']) => 0x1000 + (dev.fn.barRead(0, 0x1004, 4) >>> 20);

  it('enables Device Control error reporting, then clears the RAS masks except bit 8 in 68B-flit mode', async () => {
    const { dev, ctx } = realDevice();
    const ras = rasOf(dev);
    expect(dev.fn.barRead(0, ras + 0x04, 4)).toBe(0x1cfff); // reset: everything masked (CXL 2.0 8.2.5.9.2)
    await linuxProbeRun(ctx);
    expect(dev.fn.cfgRead(0x60 + 0x08, 2) & 0xf).toBe(0xf); // CERE | NFERE | FERE | URRE
    expect(dev.fn.barRead(0, ras + 0x04, 4)).toBe(0x100);
    expect(dev.fn.barRead(0, ras + 0x10, 4)).toBe(0);
    const step = ctx.steps.find((x) => x.name.endsWith('RAS unmask'))!;
    expect(step.verdict).toBe('pass');
    expect(step.evidence).toContain('Uncorrectable RAS Errors Mask: 0x0001_cfff -> 0x0000_0100');
  });

  it('leaves Device Control and the RAS masks alone when firmware owns AER', async () => {
    const { dev, ctx } = realDevice();
    await linuxProbeRun(ctx, { nativeAer: false });
    expect(dev.fn.cfgRead(0x60 + 0x08, 2) & 0xf).toBe(0);
    expect(dev.fn.barRead(0, rasOf(dev) + 0x04, 4)).toBe(0x1cfff);
  });
});

describe('linux-probe with the emulated device’s injection API', () => {
  it('media reported not ready makes "media ready" fail after 60 virtual seconds and cxl_mem refuse the device', async () => {
    const { dev, ctx } = realDevice();
    (dev.backend as unknown as { inject: { setMediaState(s: string): void } }).inject.setMediaState('not-ready');
    const r = await linuxProbeRun(ctx);
    const m = ctx.steps.find((s) => s.name.endsWith('media ready'))!;
    expect(m.verdict).toBe('fail');
    expect(m.reason).toContain('timeout awaiting memory active after 60 seconds');
    expect(m.evidence).toMatch(/Memory_Active=0\) after 60 s/);
    expect(ctx.clock.now()).toBeGreaterThanOrEqual(60e9);
    expect(ctx.steps.find((s) => s.name.endsWith('cxl_mem'))!.reason).toContain('-EBUSY');
    expect(r.endpoints[0]).toMatchObject({ cxlPci: true, cxlMem: false });
  });

  it('reads and clears an injected warning event and lists injected poison', async () => {
    const { dev, ctx } = realDevice();
    const inj = (dev.backend as unknown as { inject: { injectEvent(l: string, k: string, f: object): number; injectPoison(d: number, l: number): void } }).inject;
    inj.injectEvent('warning', 'general-media', {});
    inj.injectPoison(0x1000, 128);
    await linuxProbeRun(ctx, { triggerPoisonList: true });
    expect(ctx.steps.find((s) => s.name.endsWith('event records'))!.evidence).toContain('warning: 1 record(s)');
    expect(ctx.steps.find((s) => s.name.endsWith('Get Poison List'))!.evidence).toContain('DPA 0x0000_1000 × 128 B');
    // the probe cleared the log: Get Event Records now returns nothing
    const { MailboxClient } = await import('../../host/core/mbox.js');
    const c = await MailboxClient.connect(ctx.targets.get('hb0.rp0.ep0')!, { sleep: ctx.sleep, now: () => ctx.clock.now(), sink: null });
    if ('error' in c) throw new Error(c.error);
    const r = await c.send(0x0100, new Uint8Array([1]));
    expect(r.output[0x14]).toBe(0);
  });

  it('adopts a decoder committed before the probe', async () => {
    const { target, ctx } = realDevice();
    const { hdmCommitDecoder, hdmWrite, HDM } = await import('../../host/core/hdm.js');
    const { discoverFunction } = await import('../../host/core/discover.js');
    const f = await discoverFunction(target);
    const at = f.layout.blocks.find((b) => b.block === 'cxl-hdm-decoder')!.base;
    const { barComponentAccess } = await import('../../host/core/regs.js');
    const h = { regs: barComponentAccess(target, 0, 0), base: at };
    await hdmWrite(h, HDM.globalCtrl, 2);
    expect((await hdmCommitDecoder(h, 0, { base: 2 ** 36, size: 2 ** 28, ways: 1, granularity: 256, skip: 0 }, ctx.sleep)).ok).toBe(true);
    ctx.steps.length = 0;
    await linuxProbeRun(ctx);
    expect(ctx.steps.find((s) => s.name.endsWith(': decoders'))!.reason).toBe('adopted 1 committed decoder(s), 256 MiB of DPA claimed [Linux 6.12]');
  });

  it('a decoder committed out of order fails with "Committed out of order"', async () => {
    const { target } = realDevice();
    const { discoverFunction } = await import('../../host/core/discover.js');
    const at = (await discoverFunction(target)).layout.blocks.find((b) => b.block === 'cxl-hdm-decoder')!.base;
    // decoder 1 Control reads Committed while decoder 0 does not
    const { ctx } = realDevice({}, 'hb0.rp0.ep0', (t) => patchTarget(t, { bar: { [`0:${at + 0x40}`]: 0x0000_1400, [`0:${at + 0x30}`]: 0x1000_0000, [`0:${at + 0x34}`]: 0 } }));
    await linuxProbeRun(ctx);
    const f = fails(ctx);
    expect(f).toHaveLength(1);
    expect(f[0]!.reason).toContain('decoder(hb0.rp0.ep0).1: Committed out of order');
    expect(f[0]!.evidence).toContain('Control = 0x0000_1400');
  });

  it('HDM decoding already enabled by firmware: Linux only sets Mem_Enable (devm_cxl_enable_mem)', async () => {
    const { dev, target, ctx } = realDevice();
    const { discoverFunction } = await import('../../host/core/discover.js');
    const at = (await discoverFunction(target)).layout.blocks.find((b) => b.block === 'cxl-hdm-decoder')!.base;
    const d = dev.layout().find((p) => p.block === 'dvsec-cxl-device')!.base;
    dev.fn.barWrite(0, at + 0x04, 4, 2); // HDM Decoder Enable, Mem_Enable still clear
    await linuxProbeRun(ctx);
    expect(dev.fn.cfgRead(d + 0x0c, 2) & 4).toBe(4);
    expect(ctx.steps.find((s) => s.name.endsWith('HDM decode init'))!.reason).toContain('already enabled');
  });

  it('Mem_Enable set with nothing committed emulates decoders from the DVSEC ranges even if HDM decoding is enabled', async () => {
    const { dev, target, ctx } = realDevice();
    const { discoverFunction } = await import('../../host/core/discover.js');
    const at = (await discoverFunction(target)).layout.blocks.find((b) => b.block === 'cxl-hdm-decoder')!.base;
    const d = dev.layout().find((p) => p.block === 'dvsec-cxl-device')!.base;
    dev.fn.cfgWrite(d + 0x0c, 2, 0x0006);
    dev.fn.barWrite(0, at + 0x04, 4, 2);
    await linuxProbeRun(ctx);
    // should_emulate_decoders looks at Mem_Enable and Committed, not at Global Control.
    expect(ctx.steps.find((s) => s.name.endsWith(': decoders'))!.reason).toBe('2 decoder(s) emulated from DVSEC ranges [Linux 6.12]');
  });

  it('firmware-enabled DVSEC ranges without HDM decode take the DVSEC range fallback', async () => {
    const { target, ctx } = realDevice();
    const { pciFindDvsec } = await import('../../host/core/pci.js');
    const d = await pciFindDvsec(target, 0x1e98, 0);
    await target.cfgWrite(d + 0x0c, 2, (await target.cfgRead(d + 0x0c, 2)) | 4);
    await linuxProbeRun(ctx);
    expect(ctx.steps.find((s) => s.name.endsWith('HDM decode init'))!.reason).toContain('DVSEC range fallback');
    expect(ctx.steps.find((s) => s.name.endsWith(': decoders'))!.reason).toBe('2 decoder(s) emulated from DVSEC ranges [Linux 6.12]');
  });
});

describe('linux-probe over a hardware link that drops', () => {
  it('records a failing link step instead of throwing', async () => {
    const { LinkFault } = await import('../../common/target.js');
    const dev = new FakeType3('ep0');
    let reads = 0;
    const flaky = { ...dev, node: dev.node, backend: 'uartbone:/dev/null', cfgRead: (o: number, w: 1 | 2 | 4) => dev.cfgRead(o, w), cfgWrite: (o: number, w: 1 | 2 | 4, v: number) => dev.cfgWrite(o, w, v),
      barRead: async (b: number, o: number, w: 1 | 2 | 4) => {
        if (++reads > 20) throw new LinkFault('timeout', 'no answer from the board in 100 ms');
        return dev.barRead(b, o, w);
      },
      barWrite: (b: number, o: number, w: 1 | 2 | 4, v: number) => dev.barWrite(b, o, w, v),
      barRead64: (b: number, o: number) => dev.barRead64(b, o),
      barWrite64: (b: number, o: number, v: bigint) => dev.barWrite64(b, o, v) };
    const ctx = makeCtx([flaky]);
    const r = await linuxProbeRun(ctx);
    const f = ctx.steps.find((s) => s.name === 'ep0: link')!;
    expect(f.verdict).toBe('fail');
    expect(f.reason).toContain('no answer from the board');
    expect(r.endpoints[0]!.cxlPci).toBe(false);
  });
});

describe('linux-probe device variants', () => {
  it('a partitionable device gets Get Partition Info (alignment ≠ 0)', async () => {
    const { ctx } = realDevice({ partitionableBytes: 256 * 2 ** 20 });
    await linuxProbeRun(ctx);
    const s = ctx.steps.find((x) => x.name.endsWith('Get Partition Info'))!;
    expect(s.verdict).toBe('pass');
    expect(s.reason).toBe('active volatile 512 MiB, active persistent 256 MiB [Linux 6.12]');
  });

  it('the QEMU-profile device with a 256-byte mailbox probes cleanly and reads the LSA in 248-byte chunks', async () => {
    const { ctx } = realDevice({ profile: 'qemu', payloadSizeLog2: 8, lsaBytes: 1024 });
    await linuxProbeRun(ctx);
    expect(fails(ctx)).toEqual([]);
    expect(ctx.steps.find((x) => x.name.endsWith('LSA'))!.reason).toBe('1024 B of labels read in 5 Get LSA command(s) of ≤ 248 B [Linux 6.12]');
  });

  it('enables the background-command interrupt only where the mailbox is capable (QEMU: vector 7 of 8 MSI-X)', async () => {
    const mbCtl = async (dev: ReturnType<typeof realDevice>['dev'], ctx: ReturnType<typeof realDevice>['ctx']) => {
      const { MailboxClient } = await import('../../host/core/mbox.js');
      const c = await MailboxClient.connect(ctx.targets.get('hb0.rp0.ep0')!, { sleep: ctx.sleep, now: () => 0, sink: null });
      if ('error' in c) throw new Error(c.error);
      return dev.fn.barRead(c.regs.bar, c.regs.mbox + 4, 4);
    };
    const q = realDevice({ profile: 'qemu' });
    await linuxProbeRun(q.ctx);
    const step = q.ctx.steps.find((x) => x.name.endsWith('mailbox interrupts'))!;
    expect(step.reason).toContain('vector 7 of 8');
    expect(step.evidence).toContain('MB Control 0x0000_0000 → 0x0000_0004');
    // Every later doorbell is a plain writel(DOORBELL), as Linux does, so the enable does not survive the probe.
    expect((await mbCtl(q.dev, q.ctx)) & 4).toBe(0);
    const sp = realDevice();
    await linuxProbeRun(sp.ctx);
    expect((await mbCtl(sp.dev, sp.ctx)) & 4).toBe(0);
    expect(sp.ctx.steps.some((x) => x.name.endsWith('mailbox interrupts'))).toBe(false);
  });
});
