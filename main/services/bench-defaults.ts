// One database and one port for every way of starting the bench (issue 15, finding 8 and 5): the CLI (run,
// demo, serve, …), `npm start` in a browser and the Electron shell all open the same SQLite file unless told
// otherwise, so a run made on one side appears on the other; the browser server listens on a fixed port so
// its address does not change between starts.
//
// Database: --db FILE, else $CXL_BENCH_DB, else the user data directory Electron uses for this app
// (~/.config/cxl-bench/cxl-bench.sqlite on Linux). Port: --port N, else $CXL_BENCH_PORT, else 4274 (--port 0: any free port).

import { homedir } from 'node:os';
import { join } from 'node:path';

export const DEFAULT_PORT = 4274;
export const DB_FILE_NAME = 'cxl-bench.sqlite';
export const APP_DIR_NAME = 'cxl-bench';

/** Electron's userData for this app (unpackaged: named after package.json's name). */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const base =
    platform === 'win32'
      ? (env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'))
      : platform === 'darwin'
        ? join(homedir(), 'Library', 'Application Support')
        : (env.XDG_CONFIG_HOME ?? join(homedir(), '.config'));
  return join(base, APP_DIR_NAME);
}

/** The bench's database when no --db is given. */
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.CXL_BENCH_DB || join(userDataDir(env), DB_FILE_NAME);
}

/** The browser server's port when no --port is given. */
export function defaultPort(env: NodeJS.ProcessEnv = process.env): number {
  const p = Number(env.CXL_BENCH_PORT);
  return env.CXL_BENCH_PORT && Number.isInteger(p) && p >= 0 && p <= 65535 ? p : DEFAULT_PORT;
}
