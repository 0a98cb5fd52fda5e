// The application's services, wired once at start-up and shared by every binding (Electron IPC, WebSocket,
// CLI): the store, the run manager, the event hub and the catalogue of sequences and topologies.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LogRow } from '../api/contract.js';
import { CompareService } from '../compare/compare-service.js';
import { defaultTopology, hasTopology, topologyNames } from '../runs/environment.js';
import { RunManager } from '../runs/run-manager.js';
import { SequenceCatalog } from '../runs/sequence-catalog.js';
import { loadMigrations } from '../store/migrate.js';
import { layoutDecoder } from '../store/row-decoder.js';
import { openStore, type Store } from '../store/store.js';
import { appVersion } from './app-version.js';
import { EventHub } from './event-hub.js';
import { LiveBenchService } from '../live/live-bench-service.js';
import { QemuRunService } from '../qemu/qemu-run-service.js';

export interface ServicesOptions {
  /** SQLite file (runs need a real file: their workers open it too). */
  dbPath: string;
  shell?: 'electron' | 'browser';
  /** Extra modules exporting SEQUENCES (file URLs), e.g. test-only sequences. */
  sequenceModules?: string[];
  /** Where migrations/*.sql are (a packaged app ships them as resources); default: migrate.ts defaultMigrationsDir. */
  migrationsDir?: string;
}

export interface Services {
  readonly store: Store;
  readonly runs: RunManager;
  readonly hub: EventHub;
  readonly sequences: SequenceCatalog;
  /** Live benches: one emulated platform per session, recording into its console run. */
  readonly live: LiveBenchService;
  readonly compare: CompareService;
  /** QEMU + Linux runs (main/qemu). */
  readonly qemu: QemuRunService;
  readonly shell: 'electron' | 'browser';
  readonly app: { name: string; version: string };
  topologies(): string[];
  hasTopology(name: string): boolean;
  defaultTopology(): string;
  /** Append a log row and push it to subscribers. */
  log(level: LogRow['level'], message: string, runId?: number | null): LogRow;
  /** Stop runs and close the store. */
  close(): Promise<void>;
}

export async function createServices(opts: ServicesOptions): Promise<Services> {
  const sequenceModules = opts.sequenceModules ?? [];
  const sequences = await SequenceCatalog.load(sequenceModules);
  mkdirSync(dirname(opts.dbPath), { recursive: true }); // the default lives in the user data directory
  const store = openStore(opts.dbPath, {
    decoderFor: layoutDecoder,
    ...(opts.migrationsDir ? { migrations: loadMigrations(opts.migrationsDir) } : {}),
  });
  const hub = new EventHub();
  const runs = new RunManager(store, hub, sequenceModules);
  const qemu = new QemuRunService(store, hub);
  const live = new LiveBenchService(store, (level, message, runId) => {
    const row = store.logs.append(runId, level, message);
    hub.emit({ type: 'log', row });
    return row;
  });
  return {
    store,
    runs,
    hub,
    sequences,
    live,
    compare: new CompareService(store),
    qemu,
    shell: opts.shell ?? 'browser',
    app: appVersion(),
    topologies: topologyNames,
    hasTopology,
    defaultTopology,
    log(level, message, runId = null) {
      const row = store.logs.append(runId, level, message);
      hub.emit({ type: 'log', row });
      return row;
    },
    async close() {
      await runs.stopAll();
      await qemu.close();
      live.closeAll();
      store.close();
    },
  };
}
