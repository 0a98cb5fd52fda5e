// The driver's own words → steps: from the real consoles of the captures, and a failing probe as Linux logs it.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCpio } from '../../main/qemu/cpio.js';
import { guestReport } from '../../main/qemu/guest-report.js';
import { findKernel, findQemu } from '../../main/qemu/host-tools.js';
import { initramfsEntries, parseModulesDep, resolveModules } from '../../main/qemu/initramfs.js';
import { qemuFixtureDir, readQemuCapture } from '../../main/qemu/qemu-fixture.js';

describe('guestReport on real consoles', () => {
  it('switch4: 4 memdevs probed with their serials, 7 decoders, a 4-way pmem region committed', () => {
    const c = readQemuCapture(qemuFixtureDir('switch4'));
    const r = guestReport(c.console, { '0f:00.0': 'hb0.rp0.sw0.dsp0.ep0' });
    expect(r.kernel).toBe('6.1.0-57-amd64');
    expect(r.memdevs.map((m) => [m.host, m.probed, m.serial, m.pmemBytes])).toEqual([
      ['0000:0f:00.0', true, 0x4000, 2 ** 28],
      ['0000:10:00.0', true, 0x4001, 2 ** 28],
      ['0000:11:00.0', true, 0x4002, 2 ** 28],
      ['0000:12:00.0', true, 0x4003, 2 ** 28],
    ]);
    expect(r.memdevs[0].node).toBe('hb0.rp0.sw0.dsp0.ep0');
    expect(r.decoders).toHaveLength(7);
    expect(r.regions).toEqual([expect.objectContaining({ committed: true, ways: 4, granularity: 256, mode: 'pmem', size: 2 ** 30 })]);
    expect(r.steps.filter((s) => s.verdict !== 'pass')).toEqual([]);
  });

  it('a probe failure names the driver, the device and the errno, with the driver\'s last words', () => {
    const c = readQemuCapture(qemuFixtureDir('single'));
    const broken = c.console
      .replace(/^\[\s*[\d.]+\] cxl_pci 0000:0d:00\.0: Mailbox payload sized 2048$/m, '[    5.900000] cxl_pci 0000:0d:00.0: Mailbox is too small\n[    5.900001] cxl_pci: probe of 0000:0d:00.0 failed with error -6')
      .replace(/"memdev":"mem0"[\s\S]*?"decoders:endpoint2"/, '"x":"y","decoders:endpoint2"');
    const r = guestReport(broken);
    const step = r.steps.find((s) => s.name.includes('0000:0d:00.0'));
    expect(step).toMatchObject({ verdict: 'fail' });
    expect(step?.reason).toMatch(/cxl_pci probe failed with -ENXIO \(-6\); the driver's last words: "Mailbox is too small"/);
  });

  it('a guest that stopped early: boot passes, the unfinished stage fails', () => {
    const c = readQemuCapture(qemuFixtureDir('single'));
    const cut = c.console.slice(0, c.console.indexOf('@@CXLBENCH stage list'));
    const r = guestReport(cut);
    expect(r.finished).toBe(false);
    expect(r.steps.at(-1)).toMatchObject({ name: 'guest: finish', verdict: 'fail' });
    expect(r.steps.at(-1)?.reason).toMatch(/after stage "probe"/);
  });
});

describe('host tools', () => {
  it('a kernel whose modules have no CXL driver is said so; a missing QEMU names the package', () => {
    const root = mkdtempSync(join(tmpdir(), 'cxlb-kern-'));
    mkdirSync(join(root, 'boot'));
    mkdirSync(join(root, 'modules/9.9.9-test/kernel/drivers/net'), { recursive: true });
    writeFileSync(join(root, 'boot/vmlinuz-9.9.9-test'), 'x');
    writeFileSync(join(root, 'modules/9.9.9-test/modules.builtin'), 'kernel/drivers/net/foo.ko\n');
    const k = findKernel(undefined, join(root, 'modules'), join(root, 'boot'));
    expect(k.ok).toBe(false);
    if (!k.ok) {
      expect(k.problem).toMatch(/kernel 9\.9\.9-test has no CXL driver \(cxl_acpi, cxl_pci, cxl_mem/);
      expect(k.fix).toMatch(/linux-image-amd64/);
    }
    const q = findQemu('/nonexistent/qemu-system-x86_64');
    expect(q).toMatchObject({ ok: false, problem: 'no QEMU at /nonexistent/qemu-system-x86_64' });
    if (!q.ok) expect(q.fix).toMatch(/apt-get install qemu-system-x86/);
  });

  it.skipIf(process.env.CXL_BENCH_SKIP_QEMU === '1')('initramfs: busybox applets, the CXL modules with their dependencies, cxl with its libraries, /init, and an extra tree last', () => {
    const extra = mkdtempSync(join(tmpdir(), 'cxlb-extra-'));
    mkdirSync(join(extra, 'etc'));
    writeFileSync(join(extra, 'etc/note'), 'hello');
    const kernel = findKernel();
    if (!kernel.ok) throw new Error(kernel.problem);
    const { entries, loads } = initramfsEntries({ kernel: kernel.value, busybox: '/bin/busybox', cxl: '/usr/bin/cxl', extraDir: extra });
    const paths = entries.map((e) => e.path);
    expect(loads).toEqual(['cxl_acpi', 'cxl_pci', 'cxl_mem', 'cxl_pmem']);
    expect(paths).toEqual(expect.arrayContaining(['init', 'bin/busybox', 'bin/modprobe', 'usr/bin/cxl', `lib/modules/${kernel.value.release}/modules.dep`]));
    expect(paths.some((p) => p.endsWith('/libnvdimm.ko'))).toBe(true); // cxl_pmem's dependency
    expect(paths.some((p) => /libcxl\.so/.test(p))).toBe(true);
    expect(paths.at(-1)).toBe('etc/note');
    const init = entries.find((e) => e.path === 'init');
    expect(init?.kind === 'file' && new TextDecoder().decode(init.data)).toMatch(/modprobe \$m dyndbg=\+p/);
  });

  it('modules.dep: dependencies first, once; unknown names reported', () => {
    const dep = parseModulesDep('kernel/drivers/cxl/cxl_pmem.ko: kernel/drivers/nvdimm/libnvdimm.ko\nkernel/drivers/nvdimm/libnvdimm.ko:\nkernel/drivers/cxl/cxl_pci.ko:\n');
    expect(resolveModules(dep, ['cxl_pci', 'cxl_pmem', 'cxl_nope'])).toEqual({
      files: ['kernel/drivers/cxl/cxl_pci.ko', 'kernel/drivers/nvdimm/libnvdimm.ko', 'kernel/drivers/cxl/cxl_pmem.ko'],
      missing: ['cxl_nope'],
    });
  });

  it('cpio newc: headers, 4-byte padding, symlinks and the trailer', () => {
    const a = writeCpio([
      { kind: 'dir', path: 'bin' },
      { kind: 'file', path: 'bin/x', data: new TextEncoder().encode('hello'), mode: 0o755 },
      { kind: 'symlink', path: 'bin/sh', target: 'x' },
    ]);
    const text = new TextDecoder('latin1').decode(a);
    const entries: { name: string; mode: number; data: string }[] = [];
    for (let at = 0; at < a.length; ) {
      expect(text.slice(at, at + 6)).toBe('070701');
      const f = (i: number) => parseInt(text.slice(at + 6 + i * 8, at + 14 + i * 8), 16);
      const [mode, size, nameSize] = [f(1), f(6), f(11)];
      const name = text.slice(at + 110, at + 110 + nameSize - 1);
      const dataAt = (at + 110 + nameSize + 3) & ~3;
      entries.push({ name, mode, data: text.slice(dataAt, dataAt + size) });
      at = (dataAt + size + 3) & ~3;
      if (name === 'TRAILER!!!') break;
    }
    expect(entries).toEqual([
      { name: 'bin', mode: 0o040755, data: '' },
      { name: 'bin/x', mode: 0o100755, data: 'hello' },
      { name: 'bin/sh', mode: 0o120777, data: 'x' },
      { name: 'TRAILER!!!', mode: 0, data: '' },
    ]);
    expect(a.length % 4).toBe(0);
  });
});
