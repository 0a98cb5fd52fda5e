// The server the end-to-end UI flow runs against: the real services (on a fresh SQLite file under
// test-results/) behind the real WebSocket binding, serving the built renderer.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createServices } from '../../main/services/services.js';
import { startServer } from '../../main/server/ws-server.js';
import { rendererDir, resultsDir } from './harness.js';

export interface ServerUnderTest {
  url: string;
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
    url: server.url,
    dbPath,
    async close() {
      await server.close();
      await services.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
