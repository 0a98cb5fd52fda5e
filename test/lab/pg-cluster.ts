// A throwaway PostgreSQL cluster for the lab-store tests and benchmarks (issue 17): initdb into a temporary
// directory, started with pg_ctl on its own port and unix-socket directory, stopped and removed afterwards.
// PostgreSQL refuses to run as root, so under root every server command runs as the `postgres` user (runuser).
// Debian's `postgresql` package provides the binaries (/usr/lib/postgresql/<major>/bin); PG_BIN overrides.

import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PgCluster {
  port: number;
  /** Unix socket directory (connect with host=<socketDir>). */
  socketDir: string;
  dataDir: string;
  /** The superuser's password (TCP connections use scram-sha-256; the socket trusts local users). */
  superPassword: string;
  /** postgres://user:password@127.0.0.1:port/db */
  url(user?: string, password?: string, db?: string): string;
  /** Run SQL as the superuser through psql over the socket; returns stdout. */
  psql(sql: string, db?: string): string;
  /** Stop the server at once (SIGQUIT: like a server that goes away); start() brings it back on the same port. */
  kill(): void;
  start(): void;
  /** Stop and remove everything. */
  stop(): void;
  /** The CA that signed the server's certificate (tls clusters). */
  caFile?: string;
}

/** A CA and a server certificate for IP 127.0.0.1 in `dir` (openssl); returns the file names. */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const f = (n: string) => join(dir, n);
  const ssl = (args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${(r.stderr || String(r.error)).trim().split('\n').pop()}`);
  };
  writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  ssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.crt'), '-days', '2', '-subj', '/CN=cxl-bench test CA']);
  ssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1']);
  ssl(['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.crt'), '-days', '2', '-extfile', f('san.ext')]);
  return { ca: f('ca.crt'), cert: f('server.crt'), key: f('server.key') };
}

/** The newest installed PostgreSQL's bin directory, or null when none is installed. */
export function pgBinDir(): string | null {
  if (process.env.PG_BIN) return existsSync(join(process.env.PG_BIN, 'initdb')) ? process.env.PG_BIN : null;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const majors = readdirSync(root).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a));
  for (const m of majors) if (existsSync(join(root, m, 'bin', 'initdb'))) return join(root, m, 'bin');
  return null;
}

/** Whether the tests can start a cluster here (binaries present; under root, a `postgres` user to run them). */
export function pgAvailable(): boolean {
  if (!pgBinDir()) return false;
  if (process.getuid?.() !== 0) return true;
  return spawnSync('id', ['-u', 'postgres']).status === 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const live = new Set<PgCluster>();
let exitHook = false;

export interface ClusterOptions {
  /** fsync off (tests): default true. The benchmark keeps PostgreSQL's defaults. */
  fast?: boolean;
  /** Serve TLS with a certificate for 127.0.0.1 signed by a throwaway CA (openssl); PgCluster.caFile is that CA. */
  tls?: boolean;
}

export async function startCluster(opts: ClusterOptions = {}): Promise<PgCluster> {
  const bin = pgBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql, or set PG_BIN)');
  const asRoot = process.getuid?.() === 0;
  const uid = asRoot ? Number(execFileSync('id', ['-u', 'postgres']).toString().trim()) : process.getuid!();
  const gid = asRoot ? Number(execFileSync('id', ['-g', 'postgres']).toString().trim()) : process.getgid!();
  const base = mkdtempSync(join(tmpdir(), 'cxl-lab-pg-'));
  chmodSync(base, 0o755);
  const dataDir = join(base, 'data');
  const socketDir = join(base, 'sock');
  const superPassword = `pw-${Math.random().toString(36).slice(2)}`;
  const pwfile = join(base, 'pw');
  writeFileSync(pwfile, superPassword + '\n');
  if (asRoot) {
    chownSync(base, uid, gid);
    chownSync(pwfile, uid, gid);
  }
  const as = (cmd: string, args: string[]) => {
    const file = join(bin, cmd);
    const r = asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', file, ...args], { cwd: base, encoding: 'utf8' })
      : spawnSync(file, args, { cwd: base, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${(r.stderr || r.stdout || String(r.error)).trim().split('\n').slice(-3).join(' | ')}`);
    return r.stdout;
  };
  as('initdb', ['-D', dataDir, '-U', 'postgres', '--pwfile', pwfile, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const port = await freePort();
  const serverOpts = [`-p ${port}`, `-k ${socketDir}`, "-c listen_addresses='127.0.0.1'", '-c max_connections=60'];
  // fsync off survives a server crash (the WAL is in the OS's cache); synchronous_commit stays on, so a
  // committed batch outlives an immediate shutdown as it would on a real lab server.
  if (opts.fast ?? true) serverOpts.push('-c fsync=off', '-c full_page_writes=off');
  let caFile: string | undefined;
  if (opts.tls) {
    const tlsDir = join(base, 'tls');
    spawnSync('mkdir', ['-p', tlsDir]);
    const c = makeCertificates(tlsDir);
    // The server reads its key only when the file is its own and private.
    chmodSync(c.key, 0o600);
    if (asRoot) for (const p of [tlsDir, c.cert, c.key]) chownSync(p, uid, gid);
    serverOpts.push('-c ssl=on', `-c ssl_cert_file=${c.cert}`, `-c ssl_key_file=${c.key}`);
    caFile = c.ca;
  }
  const logFile = join(base, 'server.log');
  const cluster: PgCluster = {
    port,
    socketDir,
    dataDir,
    superPassword,
    ...(caFile ? { caFile } : {}),
    url: (user = 'postgres', password = user === 'postgres' ? superPassword : '', db = 'postgres') =>
      `postgres://${encodeURIComponent(user)}${password ? `:${encodeURIComponent(password)}` : ''}@127.0.0.1:${port}/${db}`,
    psql: (sql, db = 'postgres') => as('psql', ['-h', socketDir, '-p', String(port), '-U', 'postgres', '-d', db, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql]),
    kill: () => {
      as('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    },
    start: () => {
      as('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', serverOpts.join(' '), '-w', '-t', '60', 'start']);
    },
    stop: () => {
      if (!live.delete(cluster)) return;
      spawnSync(asRoot ? 'runuser' : join(bin, 'pg_ctl'), asRoot ? ['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', dataDir, '-m', 'immediate', '-w', 'stop'] : ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], { cwd: base });
      rmSync(base, { recursive: true, force: true });
    },
  };
  if (asRoot) {
    // The socket directory must be the server's to create its socket in.
    spawnSync('runuser', ['-u', 'postgres', '--', 'mkdir', '-p', socketDir]);
  } else {
    spawnSync('mkdir', ['-p', socketDir]);
  }
  live.add(cluster);
  if (!exitHook) {
    exitHook = true;
    // A test process that ends without stop() (a crash, a timeout) still takes its servers down.
    process.once('exit', () => {
      for (const c of [...live]) c.stop();
    });
  }
  cluster.start();
  return cluster;
}
