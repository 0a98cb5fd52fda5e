// Issue 16: 5,000-deep JSON (a topology, a JSON line) overflowed the stack and ended "internal: Maximum call
// stack size exceeded" (exit 1). It is refused by depth first, as a field error with the path (exit 2).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonTooDeep } from '../../common/json-depth.js';
import { loadTopology, TOPOLOGY_MAX_DEPTH } from '../../emulator/topology/load.js';
import { callApi } from '../../main/api/table.js';
import { tempServices } from '../api/helpers.js';
import { runCli } from '../cli/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cxl-deep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A topology whose root port holds `levels` switches, each in the one downstream port of the one above. */
function nestedSwitches(levels: number): string {
  let port = '{"endpoint":{"capacity":{"volatile":268435456}}}';
  for (let i = 0; i < levels; i++) port = `{"switch":{"downstreamPorts":[${port}]}}`;
  return `{"hostBridges":[{"uid":0,"rootPorts":[${port}]}]}`;
}

describe('deep JSON is a field error, not a stack overflow', () => {
  it('jsonTooDeep finds the first over-deep place without recursing (100 000 levels)', () => {
    expect(jsonTooDeep(JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)), 10)).toEqual({ path: '[0][0][0][0][0][0][0][0]…', max: 10, message: 'nested more than 10 levels deep' });
    expect(jsonTooDeep({ a: [1, { b: 2 }], c: 'x' }, 3)).toBeNull();
    expect(jsonTooDeep({ a: [1, { b: [] }] }, 3)).toMatchObject({ path: 'a[1].b' });
  });

  it('a topology of 5,000 nested switches: exit 2 naming the path (CLI topology check)', async () => {
    const file = join(dir, 'deep-topology.json');
    writeFileSync(file, nestedSwitches(5000));
    const r = await runCli(['topology', 'check', file]);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain(
      `hostBridges[0].rootPorts[0].switch.downstreamPorts[0].switch…: nested more than ${TOPOLOGY_MAX_DEPTH} levels deep (a topology nests at most ${TOPOLOGY_MAX_DEPTH})`,
    );
    expect(r.stdout + r.stderr).not.toMatch(/call stack/);
  });

  it('the deepest topology allowed is validated normally (no overflow on the way)', () => {
    const levels = Math.floor((TOPOLOGY_MAX_DEPTH - 8) / 3);
    const r = loadTopology(nestedSwitches(levels));
    if (!r.ok) expect(r.errors.map((e) => e.message).join('; ')).not.toMatch(/nested more than|call stack/);
  });

  it('over the API: topology.check and trace.import answer bad-input, the services keep working', async () => {
    const env = await tempServices();
    try {
      const check = await callApi(env.services, 'topology.check', { json: nestedSwitches(5000) }).catch((e: unknown) => e);
      expect(JSON.stringify(check)).toContain('nested more than');
      const s = env.services.store.sessions.create('deep');
      const d = 5000;
      const line = `{"seq":0,"timeNs":0,"kind":"step","record":{"sequence":"s","name":"n","verdict":"pass","reason":"r","evidence":${'{"a":'.repeat(d)}1${'}'.repeat(d)}}}\n`;
      const imp = await callApi(env.services, 'trace.import', { sessionId: s.id, format: 'jsonl', text: line }).catch((e: unknown) => e);
      expect(imp).toMatchObject({ code: 'bad-input' });
      expect((imp as Error).message).toContain('line 1: record.evidence.a.a.a.a.a.a…: nested more than 32 levels deep');
      expect(await callApi(env.services, 'sessions.list', {})).toHaveLength(1);
    } finally {
      await env.dispose();
    }
  });

  it('a 5,000-deep JSON line: import exits 2 naming the line (CLI)', async () => {
    const file = join(dir, 'deep.jsonl');
    writeFileSync(file, `{"seq":0,"timeNs":0,"kind":"step","record":${'['.repeat(5000)}${']'.repeat(5000)}}\n`);
    const r = await runCli(['import', file, '--format', 'jsonl', '--db', join(dir, 'b.sqlite')]);
    expect(r).toMatchObject({ code: 2, stderr: `cxl-bench: import: ${file}: line 1: record[0][0][0][0][0][0][0]…: nested more than 32 levels deep\n` });
  });
});
