// Where the lab store is (issue 17): a PostgreSQL connection string from, in order, an explicit value (the CLI's
// --lab, the UI's connect box), $CXL_BENCH_LAB, or the settings file ($CXL_BENCH_SETTINGS, default
// ~/.config/cxl-bench/settings.json, key "lab"). TLS is the URL's business (sslmode=require|verify-full,
// sslrootcert=...). Passwords belong in $PGPASSWORD or a ~/.pgpass / $PGPASSFILE file (libpq's rules, which the
// `pg` client follows); a password typed into --lab would sit in the process list, so the CLI refuses it.
// Nothing here is ever written to the bench's SQLite file.

import { existsSync, readFileSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { LabError } from './lab-error.js';

export interface LabSettings {
  /** The connection string. */
  url?: string;
  /** This bench's name in the lab (default: the host name). */
  bench?: string;
}

export const settingsPath = (env: NodeJS.ProcessEnv = process.env): string =>
  env.CXL_BENCH_SETTINGS ?? join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'cxl-bench', 'settings.json');

/** The `lab` object of the settings file, or {} when there is none. A malformed file is a named error. */
export function readLabSettings(env: NodeJS.ProcessEnv = process.env): LabSettings {
  const p = settingsPath(env);
  if (!existsSync(p)) return {};
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(p, 'utf8'));
  } catch (e) {
    throw new LabError('config', `settings ${p}: not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
  const lab = (doc as { lab?: unknown } | null)?.lab;
  if (lab === undefined) return {};
  if (typeof lab === 'string') return { url: lab };
  if (!lab || typeof lab !== 'object') throw new LabError('config', `settings ${p}: "lab" must be a connection string or { "url": ..., "bench": ... }`);
  const { url, bench } = lab as Record<string, unknown>;
  if (url !== undefined && typeof url !== 'string') throw new LabError('config', `settings ${p}: lab.url must be a string`);
  if (bench !== undefined && typeof bench !== 'string') throw new LabError('config', `settings ${p}: lab.bench must be a string`);
  return { ...(url ? { url } : {}), ...(bench ? { bench } : {}) };
}

export interface ResolvedLab {
  url: string;
  source: 'option' | 'env' | 'settings';
  bench: string;
}

/** The lab to use, or a 'config' LabError saying how to name one. */
export function resolveLab(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env, bench?: string): ResolvedLab {
  const settings = readLabSettings(env);
  const benchName = bench ?? env.CXL_BENCH_NAME ?? settings.bench ?? hostname();
  const url = explicit ?? env.CXL_BENCH_LAB ?? settings.url;
  const source = explicit ? 'option' : env.CXL_BENCH_LAB ? 'env' : 'settings';
  if (!url) throw new LabError('config', `no lab store: set CXL_BENCH_LAB=postgres://user@host/db (password in PGPASSWORD or ~/.pgpass), or "lab" in ${settingsPath(env)}`);
  parseLabUrl(url);
  return { url, source, bench: benchName };
}

export interface LabAddress {
  user: string;
  host: string;
  port: string;
  database: string;
  password: string;
}

/** The parts of a postgres:// URL; a malformed one is a 'config' LabError (without the password in it). */
export function parseLabUrl(url: string): LabAddress {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new LabError('config', `lab store: "${url}" is not a postgres:// URL`);
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new LabError('config', `lab store: "${url}" is not a postgres:// URL (scheme ${u.protocol})`);
  const host = u.hostname || u.searchParams.get('host') || 'localhost';
  return {
    user: decodeURIComponent(u.username) || process.env.PGUSER || '',
    host,
    port: u.port || u.searchParams.get('port') || '5432',
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || '',
    password: decodeURIComponent(u.password),
  };
}

/** user@host:port/db — how the lab is named in every message (never with a password). */
export function describeLab(url: string): string {
  try {
    const a = parseLabUrl(url);
    return `postgres://${a.user ? `${a.user}@` : ''}${a.host}:${a.port}/${a.database}`;
  } catch {
    return '(unparsable lab URL)';
  }
}
