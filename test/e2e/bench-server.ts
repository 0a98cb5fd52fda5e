// The server the end-to-end UI flow runs against: the real services (on a fresh SQLite file under
// test-results/) behind the real WebSocket binding, serving the built renderer.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createServices } from '../../main/services/services.js';
import { startServer } from '../../main/server/ws-server.js';
import { rendererDir, resultsDir } from './harness.js';

export interface ServerUnderTest {
  /** A new one-time launch link each time it is read (each page signs in once, as a user's browser does). */
  readonly url: string;
  dbPath: string;
  close(): Promise<void>;
}

export async function startServerUnderTest(): Promise<ServerUnderTest> {
  mkdirSync(resultsDir, { recursive: true });
  const dir = mkdtempSync(join(resultsDir, 'e2e-db-'));
  const dbPath = join(dir, 'bench.sqlite');
  const services = await createServices({ dbPath, shell: 'browser' });
  const server = await startServer({ services, host: '127.0.0.1', port: 0, staticDir: rendererDir });
  return {
    get url() {
      return server.newLaunchUrl();
    },
    dbPath,
    async close() {
      await server.close();
      await services.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
