// Issue 15, findings 5 and 8: the CLI, `npm start` and the app open one database (so runs made on one side
// appear on the other), and the browser server has a fixed, documented default port.
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DB } from '../../cli/args.js';
import { DEFAULT_PORT, defaultDbPath, defaultPort, userDataDir } from '../../main/services/bench-defaults.js';
import { startServer } from '../../main/server/ws-server.js';
import { tempServices } from '../api/helpers.js';

describe('bench defaults', () => {
  it('without $CXL_BENCH_DB every side opens the user data directory Electron uses', () => {
    expect(defaultDbPath({ XDG_CONFIG_HOME: '/home/u/.config' })).toBe('/home/u/.config/cxl-bench/cxl-bench.sqlite');
    expect(userDataDir({ XDG_CONFIG_HOME: '/x' }, 'linux')).toBe('/x/cxl-bench');
    expect(defaultDbPath({ CXL_BENCH_DB: '/tmp/b.sqlite' })).toBe('/tmp/b.sqlite');
    // The CLI's default is that path (under test, $CXL_BENCH_DB points into test-results/).
    expect(DEFAULT_DB).toBe(defaultDbPath());
    // npm start and the Electron shell name the same file through the same module.
    expect(readFileSync(new URL('../../scripts/start.mjs', import.meta.url), 'utf8')).toContain('bench-defaults.ts');
    expect(readFileSync(new URL('../../main/electron/main.ts', import.meta.url), 'utf8')).toMatch(/CXL_BENCH_DB[\s\S]*DB_FILE_NAME/);
  });

  it('the port is 4274 unless $CXL_BENCH_PORT says otherwise; the README and --help document --port', () => {
    expect(defaultPort({})).toBe(DEFAULT_PORT);
    expect(DEFAULT_PORT).toBe(4274);
    expect(defaultPort({ CXL_BENCH_PORT: '5000' })).toBe(5000);
    expect(defaultPort({ CXL_BENCH_PORT: 'nope' })).toBe(4274);
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toMatch(/--port N\][\s\S]{0,300}4274/);
  });

  it('a port in use is refused naming it and --port', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const env = await tempServices();
    try {
      await expect(startServer({ services: env.services, host: '127.0.0.1', port })).rejects.toThrow(new RegExp(`port ${port} on 127.0.0.1 is in use.*--port`));
    } finally {
      blocker.close();
      await env.dispose();
    }
  });
});
