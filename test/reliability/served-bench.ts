// `cxl-bench serve` in a child process for the reliability suite: a crash is an exit, not a vitest error, and
// the server's memory is its own (/proc/PID/status). Signs in once; `health()` is an app.info call on a fresh
// connection, the probe the suite makes between and during every abuse.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectClient, signIn, type TestClient } from '../api/ws-test-client.js';

const BIN = fileURLToPath(new URL('../../bin/cxl-bench.mjs', import.meta.url));

export interface ServedBench {
  port: number;
  pid: number;
  wsUrl: string;
  /** Cookie header of a signed-in session. */
  cookie: string;
  dbPath: string;
  child: ChildProcess;
  /** Everything serve wrote to stderr so far. */
  stderr(): string;
  /** True once the process has exited (it must not, in this suite). */
  exited(): boolean;
  /** app.info over a new connection; resolves with the app name, rejects when not answered. */
  health(): Promise<string>;
  client(): Promise<TestClient>;
  /** Resident and peak resident set of the server process, MiB (Linux /proc). */
  memory(): { rssMib: number; peakMib: number };
  stop(): Promise<number | null>;
}

export interface ServeOptions {
  env?: Record<string, string>;
  dbPath?: string;
  /** Rewrites the command line (e.g. small-disk.ts: under a file-size limit). */
  wrap?: (argv: string[]) => string[];
}

export async function startServedBench(opts: ServeOptions = {}): Promise<ServedBench> {
  const dir = mkdtempSync(join(tmpdir(), 'cxl-reliability-'));
  const dbPath = opts.dbPath ?? join(dir, 'bench.sqlite');
  const [cmd, ...args] = (opts.wrap ?? ((a) => a))([process.execPath, BIN, 'serve', '--port', '0', '--db', dbPath]);
  const child = spawn(cmd, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
  });
  let err = '';
  let gone = false;
  child.stderr!.on('data', (d: Buffer) => (err += d));
  child.on('exit', () => (gone = true));
  const url = await new Promise<URL>((resolve, reject) => {
    let out = '';
    child.once('exit', (c) => reject(new Error(`serve exited ${c}: ${err}`)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /http:\/\/\S+/.exec(out);
      if (m) resolve(new URL(m[0]));
    });
  });
  const cookie = await signIn(url.href);
  const wsUrl = `ws://${url.host}/api`;
  const bench: ServedBench = {
    port: Number(url.port),
    pid: child.pid!,
    wsUrl,
    cookie,
    dbPath,
    child,
    stderr: () => err,
    exited: () => gone,
    client: () => connectClient(wsUrl, cookie),
    async health() {
      const c = await connectClient(wsUrl, cookie);
      try {
        const r = await c.call('app.info', {});
        if (!r.ok) throw new Error(`app.info failed: ${JSON.stringify(r.error)}`);
        return r.result.name as string;
      } finally {
        c.close();
      }
    },
    memory() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
      return { rssMib: kib('VmRSS') / 1024, peakMib: kib('VmHWM') / 1024 };
    },
    async stop() {
      if (gone) return child.exitCode;
      const code = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      child.kill('SIGTERM');
      const c = await code;
      rmSync(dir, { recursive: true, force: true });
      return c;
    },
  };
  return bench;
}
