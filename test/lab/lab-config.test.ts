// Where the lab is and how it is named (issue 17): env / settings / explicit, and credentials never in a
// message. Also the board-identity helpers. No PostgreSQL needed.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firmwareFromIdentify, mapIdentity, parseTargets } from '../../main/lab/board-identity.js';
import { describeLab, resolveLab } from '../../main/lab/lab-config.js';
import { LabError, labErrorFrom, redact } from '../../main/lab/lab-error.js';

const dir = mkdtempSync(join(tmpdir(), 'cxl-lab-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lab configuration', () => {
  it('takes an explicit URL first, then CXL_BENCH_LAB, then the settings file; the bench name likewise', () => {
    const settings = join(dir, 'settings.json');
    writeFileSync(settings, JSON.stringify({ lab: { url: 'postgres://s@settings-host/lab', bench: 'bench-7' } }));
    const env = { CXL_BENCH_SETTINGS: settings } as NodeJS.ProcessEnv;
    expect(resolveLab(undefined, env)).toEqual({ url: 'postgres://s@settings-host/lab', source: 'settings', bench: 'bench-7' });
    expect(resolveLab(undefined, { ...env, CXL_BENCH_LAB: 'postgres://e@env-host/lab' })).toMatchObject({ source: 'env', url: 'postgres://e@env-host/lab' });
    expect(resolveLab('postgres://o@opt/lab', { ...env, CXL_BENCH_LAB: 'postgres://e@env-host/lab' }, 'b2')).toMatchObject({ source: 'option', bench: 'b2' });
  });

  it('names what is missing or malformed', () => {
    const none = { CXL_BENCH_SETTINGS: join(dir, 'absent.json') } as NodeJS.ProcessEnv;
    expect(() => resolveLab(undefined, none)).toThrow(/no lab store: set CXL_BENCH_LAB=postgres:\/\//);
    expect(() => resolveLab('mysql://x@y/z', none)).toThrow(/not a postgres:\/\/ URL/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"lab": ');
    expect(() => resolveLab(undefined, { CXL_BENCH_SETTINGS: bad } as NodeJS.ProcessEnv)).toThrow(new RegExp(`settings ${bad}: not valid JSON`));
  });

  it('never shows a password: URLs, keyword strings, known secrets', () => {
    expect(describeLab('postgres://alice:s3cret@lab.example:6543/cxl?sslmode=require')).toBe('postgres://alice@lab.example:6543/cxl');
    expect(redact('connect postgres://alice:s3cret@lab/cxl failed')).toBe('connect postgres://alice:***@lab/cxl failed');
    expect(redact("host=lab password='p w' user=a")).toBe('host=lab password=*** user=a');
    expect(redact('server said: bad token hunter22', ['hunter22'])).toBe('server said: bad token ***');
    const e = new LabError('data', 'lab store postgres://bob:pw123@h/db: oops');
    expect(e.message).not.toContain('pw123');
    const gone = labErrorFrom(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5'), { code: 'ECONNREFUSED' }), 'postgres://bob@h:5/db', 'listing runs');
    expect(gone.kind).toBe('unreachable');
    expect(labErrorFrom(Object.assign(new Error('permission denied for table runs'), { code: '42501' }), 'x', 'publishing').kind).toBe('denied');
  });
});

describe('board identity helpers', () => {
  it('reads FW Revision from Identify output bytes 0..15 (CXL 2.0 8.2.9.5.1.1)', () => {
    const hex = Buffer.from('rev-b 2.1.0\0\0\0\0\0').toString('hex') + '00'.repeat(51);
    expect(firmwareFromIdentify(hex)).toBe('rev-b 2.1.0');
    expect(firmwareFromIdentify('')).toBe('');
  });

  it('takes board revision and gateware build from csr.json constants', () => {
    expect(mapIdentity(JSON.stringify({ constants: { cxl_board_revision: 'rev-c', cxl_gateware_build: 4321 }, memories: {} }))).toEqual({ revision: 'rev-c', gateware: '4321' });
    expect(mapIdentity('{"cfg": {"base": 0, "size": 4096}}')).toEqual({ revision: '', gateware: '' });
    expect(mapIdentity('not json')).toEqual({ revision: '', gateware: '' });
  });

  it('splits a run\'s targets into node -> link', () => {
    expect([...parseTargets('hb0.rp0.ep0=uartbone:/dev/ttyUSB0@115200, hb0.rp1.ep1=emulated')]).toEqual([
      ['hb0.rp0.ep0', 'uartbone:/dev/ttyUSB0@115200'],
      ['hb0.rp1.ep1', 'emulated'],
    ]);
  });
});
