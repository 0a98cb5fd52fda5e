// Services over a temporary database with the test-only sequences registered.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices, type Services } from '../../main/services/services.js';

export const TEST_SEQUENCES = new URL('../runs/fixtures/test-sequences.ts', import.meta.url).href;

export async function tempServices(): Promise<{ services: Services; dir: string; dispose(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'cxl-api-'));
  const services = await createServices({ dbPath: join(dir, 'bench.sqlite'), sequenceModules: [TEST_SEQUENCES] });
  return {
    services,
    dir,
    async dispose() {
      await services.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Rows of every table, to prove a rejected call wrote nothing. */
export function tableCounts(s: Services): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of ['sessions', 'runs', 'run_nodes', 'event_chunks', 'steps', 'logs'])
    out[t] = (s.store.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
  return out;
}
