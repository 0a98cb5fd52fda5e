// `cxl-bench topology check|show|list`: a malformed file exits 2 and names every bad field on its own line;
// a valid one exits 0; show prints the tree of a built-in name or a file.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TOPOLOGIES } from '../../emulator/topology/index.js';
import { runCli } from './run-cli.js';
import { MALFORMED } from './topology-cases.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-topo-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string): string => {
  const p = join(dir, `${name.replace(/\W+/g, '-')}.json`);
  writeFileSync(p, text);
  return p;
};

describe('topology check', () => {
  it.each(MALFORMED)('%s: exits 2 naming each bad field on its own line', async (name, text, paths) => {
    const f = file(name, text);
    const r = await runCli(['topology', 'check', f]);
    expect(r.code).toBe(2);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(paths.length);
    paths.forEach((p, i) => expect(lines[i]).toMatch(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\S`)));
  });

  it('--json lists the errors with their paths', async () => {
    const [name, text, paths] = MALFORMED.at(-1)!;
    const r = await runCli(['topology', 'check', file(name, text), '--json']);
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout) as { ok: boolean; errors: { path: string; message: string }[] };
    expect(out.ok).toBe(false);
    expect(out.errors.map((e) => e.path)).toEqual(paths);
  });

  it('a valid file exits 0', async () => {
    const r = await runCli(['topology', 'check', file('good', JSON.stringify(DEFAULT_TOPOLOGIES.switch4)), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, errors: [] });
  });

  it('a missing file is bad usage', async () => {
    const r = await runCli(['topology', 'check', join(dir, 'absent.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no file/);
  });
});

describe('topology show / list', () => {
  it('shows a built-in topology as a tree with BDFs', async () => {
    const r = await runCli(['topology', 'show', 'interleave2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('└─ hb0.rp1 port 1');
    expect(r.stdout).toMatch(/hb0\.rp1\.ep0\s+type3\s+[0-9a-f]{2}:00\.0\s+emulated/);
  });

  it('shows a file, and --json gives the node list', async () => {
    const r = await runCli(['topology', 'show', file('one', JSON.stringify({ ...DEFAULT_TOPOLOGIES.single, name: 'mine' })), '--json']);
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout) as { name: string; nodes: { path: string }[] };
    expect(v.name).toBe('mine');
    expect(v.nodes.map((n) => n.path)).toEqual(['hb0', 'hb0.rp0', 'hb0.rp0.ep0']);
  });

  it('an unknown name that is no file is bad usage; list --json names the built-ins', async () => {
    expect((await runCli(['topology', 'show', 'nowhere'])).code).toBe(2);
    expect((await runCli(['topology', 'frob'])).code).toBe(2);
    const l = await runCli(['topology', 'list', '--json']);
    expect(l.code).toBe(0);
    expect((JSON.parse(l.stdout) as { name: string }[]).map((t) => t.name)).toEqual(expect.arrayContaining(['single', 'switch4']));
  });
});
