// The region, cxl-list and decode commands (in process, on a temporary database).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cxl-region-cli-'));
const db = join(dir, 'bench.sqlite');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('region / cxl-list / decode commands', () => {
  it('region on pmem-only: a pmem region, memory-tested and torn down (exit 0)', async () => {
    const r = await runCli(['region', '--topology', 'pmem-only', '--db', db]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2-way 1024 MiB pmem region/);
    expect(r.stdout).toMatch(/PASS\s+memory test/);
    expect(r.stdout).toMatch(/PASS\s+reset hb0.rp1.ep0 decoder 0/);
  });
  it('region --mode ram on pmem-only fails with -ENOSPC (exit 1)', async () => {
    const r = await runCli(['region', '--topology', 'pmem-only', '--mode', 'ram', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('not enough free volatile capacity on the endpoints (-ENOSPC)');
  });
  it('region --keep --no-memtest --list --json: the region and the cxl list JSON', async () => {
    const r = await runCli(['region', '--topology', 'way3', '--keep', '--no-memtest', '--list', '--json', '--db', db]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.region).toMatchObject({ ways: 3 });
    expect(out.memtest).toBeNull();
    expect(out.cxlList[0]['decoders:root0'][0]['regions:decoder0.0'][0].mappings).toHaveLength(3);
  });
  it('cxl-list --region pmem prints ndctl-shaped JSON', async () => {
    const r = await runCli(['cxl-list', '--topology', 'interleave2', '--region', 'pmem', '--db', db]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j[0].bus).toBe('root0');
    expect(j[0]['ports:root0'][0]['endpoints:port1'][0].memdev.pmem_size).toBe(256 * 2 ** 20);
  });
  it('decode HPA on xor2 names each hop; outside the region it names where it breaks (exit 1)', async () => {
    const ok = await runCli(['decode', '0x1000000300', '--topology', 'xor2', '--db', db]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/window\s+CFMWS0\s+2-way XOR/);
    expect(ok.stdout).toMatch(/endpoint\s+hb\d\.rp\d\.ep0/);
    const bad = await runCli(['decode', '0x1100000000', '--topology', 'xor2', '--no-region', '--db', db]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/BROKEN\s+hb\d\s+no committed HDM decoder claims HPA/);
  });
  it('--help on each command', async () => {
    for (const c of ['region', 'cxl-list', 'decode']) {
      const r = await runCli([c, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`usage: cxl-bench ${c}`);
    }
  });
});
