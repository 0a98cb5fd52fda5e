// A run whose endpoint is a function in this machine's PCIe tree (`sysfs:DDDD:BB:DD.F`), against a fake sysfs tree
// (CXL_BENCH_SYSFS_ROOT) holding a snapshot of the emulated Type 3 endpoint: config space in `config`, its BARs
// in `resourceN` (mapped by the sysfs_mmap addon), sizes and real-looking addresses in `resource`. What it pins:
// with no map named, the run uses the sysfs layout sized from `resource`; the emulated firmware's BAR
// programming is NOT replayed onto a function this machine's firmware already enumerated; enumerate passes,
// reading config space and component registers through the files.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../common/clock.js';
import { callApi } from '../../main/api/table.js';
import { simEndpoint } from '../../main/links/sim-endpoint.js';
import { createServices, type Services } from '../../main/services/services.js';
import { loadNativeMmap } from '../../hil/sysfs/native-mmap.js';
import { SYSFS_ROOT_ENV } from '../../hil/sysfs/sysfs-pci-link.js';

const native = loadNativeMmap();
const inCi = !!process.env.CI && process.env.CI !== 'false';
if (!native.ok && !inCi) console.warn(`sysfs run test skipped: ${native.why}`);

const BDF = '0000:3b:00.0';
const root = join(process.cwd(), 'test-results', `sysfs-run-${process.pid}`);
const dir = join(root, BDF);
const BAR_ADDR = [0xfe00_0000, 0, 0xfe01_0000, 0, 0xfe02_0000, 0];

const line = (start: number, size: number, flags: number): string =>
  (size === 0 ? [0, 0, 0] : [start, start + size - 1, flags]).map((v) => `0x${v.toString(16).padStart(16, '0')}`).join(' ');

/** The emulated endpoint as files: what `lspci -x` and a BAR dump of a real one would give. */
function writeTree(): Uint8Array {
  mkdirSync(dir, { recursive: true });
  const { fn } = simEndpoint(new VirtualClock());
  const sizes = fn.barSizes();
  const cfg = new Uint8Array(4096);
  const dv = new DataView(cfg.buffer);
  for (let o = 0; o < 4096; o += 4) dv.setUint32(o, fn.cfgRead(o, 4) >>> 0, true);
  dv.setUint16(0x04, 0x0006, true); // Memory Space + Bus Master Enable, as the kernel left it
  const lines: string[] = [];
  for (let n = 0; n < 6; n++) {
    const size = sizes[n] ?? 0;
    const is64 = size > 0 && ((dv.getUint32(0x10 + 4 * n, true) >>> 1) & 3) === 2;
    if (size > 0) {
      dv.setUint32(0x10 + 4 * n, (BAR_ADDR[n] | (dv.getUint32(0x10 + 4 * n, true) & 0xf)) >>> 0, true);
      const bytes = new Uint8Array(size);
      const bv = new DataView(bytes.buffer);
      for (let o = 0; o < size; o += 4) bv.setUint32(o, fn.barRead(n, o, 4) >>> 0, true);
      writeFileSync(join(dir, `resource${n}`), bytes);
    }
    // IORESOURCE_MEM (0x200), MEM_64 (0x100000) for 64-bit BARs (include/linux/ioport.h)
    lines.push(line(BAR_ADDR[n], size, 0x200 | (is64 ? 0x10_0000 : 0)));
  }
  lines.push(line(0, 0, 0));
  writeFileSync(join(dir, 'config'), cfg);
  writeFileSync(join(dir, 'resource'), lines.join('\n') + '\n');
  return cfg;
}

describe.skipIf(!native.ok && !inCi)('a run against a sysfs function', () => {
  let s: Services;
  let sessionId = 0;
  let cfgBefore: Uint8Array;
  const saved = process.env[SYSFS_ROOT_ENV];
  beforeAll(async () => {
    cfgBefore = writeTree();
    process.env[SYSFS_ROOT_ENV] = root; // run workers inherit the environment
    s = await createServices({ dbPath: join(root, 'bench.sqlite') });
    sessionId = (await callApi(s, 'sessions.create', { name: 'sysfs' })).id;
  });
  afterAll(async () => {
    await s?.close();
    if (saved === undefined) delete process.env[SYSFS_ROOT_ENV];
    else process.env[SYSFS_ROOT_ENV] = saved;
    rmSync(root, { recursive: true, force: true });
  });

  it('enumerate passes through the files, and the function\'s real BAR addresses are left alone', async () => {
    const run = await callApi(s, 'runs.start', { sessionId, sequence: 'enumerate', topology: 'single', targets: { 'hb0.rp0.ep0': `sysfs:${BDF}` } });
    const status = await s.runs.wait(run.id);
    const d = await callApi(s, 'runs.get', { id: run.id });
    expect(status, `${d.summary}\n${d.steps.filter((x) => x.verdict === 'fail').map((x) => `${x.name}: ${x.reason}`).join('\n')}`).toBe('passed');
    const page = await callApi(s, 'trace.page', { runId: run.id, offset: 0, limit: 5000, filter: { node: 'hb0.rp0.ep0' } });
    const ep = page.rows;
    expect(ep.some((r) => r.space === 'cfg' && r.status === 'ok')).toBe(true);
    expect(ep.some((r) => r.space === 'mmio' && r.region === 'bar0' && r.status === 'ok'), 'component registers read through resource0').toBe(true);
    expect(ep.every((r) => r.status === 'ok')).toBe(true);
    // No firmware replay: BAR registers in `config` still hold this machine's addresses.
    const after = new Uint8Array(readFileSync(join(dir, 'config')));
    expect([...after.subarray(0x10, 0x28)]).toEqual([...cfgBefore.subarray(0x10, 0x28)]);
  }, 60_000);

  it('a topology file whose endpoint backend is a sysfs link with no device map runs the same way', async () => {
    const { DEFAULT_TOPOLOGIES } = await import('../../emulator/topology/defaults/index.js');
    const file = structuredClone(DEFAULT_TOPOLOGIES.single) as { name: string; hostBridges: { rootPorts: { endpoint: Record<string, unknown> }[] }[] };
    file.name = 'bench-box';
    file.hostBridges[0].rootPorts[0].endpoint.backend = { link: `sysfs:${BDF}` };
    const run = await callApi(s, 'runs.start', { sessionId, sequence: 'enumerate', topologyJson: JSON.stringify(file) });
    const status = await s.runs.wait(run.id);
    const d = await callApi(s, 'runs.get', { id: run.id });
    expect(status, d.summary ?? '').toBe('passed');
    expect(d.targets).toContain(`sysfs:${BDF}`);
  }, 60_000);
});
