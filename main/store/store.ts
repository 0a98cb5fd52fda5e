// The store: one SQLite file and a repo per table (DESIGN.md 6). The main process and the CLI open it with
// `openStore`; run workers open their own connection (runs/run-worker.ts) and write through RunTraceWriter.

import type Database from 'better-sqlite3';
import { EventChunksRepo } from './event-chunks-repo.js';
import { LogsRepo } from './logs-repo.js';
import { openDb, type OpenOptions } from './open-db.js';
import { RunsRepo } from './runs-repo.js';
import { SessionsRepo } from './sessions-repo.js';
import { StepsRepo } from './steps-repo.js';
import { TopologiesRepo } from './topologies-repo.js';
import { TraceReader, type DecoderFactory } from './trace-reader.js';

export interface StoreOptions extends OpenOptions {
  /** Register/field decode for trace rows (from the run's layout). */
  decoderFor?: DecoderFactory;
}

export class Store {
  readonly sessions: SessionsRepo;
  readonly runs: RunsRepo;
  readonly steps: StepsRepo;
  readonly logs: LogsRepo;
  readonly chunks: EventChunksRepo;
  readonly topologies: TopologiesRepo;
  readonly traces: TraceReader;

  constructor(
    readonly db: Database.Database,
    readonly path: string,
    decoderFor?: DecoderFactory,
  ) {
    this.sessions = new SessionsRepo(db);
    this.runs = new RunsRepo(db);
    this.steps = new StepsRepo(db);
    this.logs = new LogsRepo(db);
    this.chunks = new EventChunksRepo(db);
    this.topologies = new TopologiesRepo(db);
    this.traces = new TraceReader(this.chunks, (id) => this.runs.layout(id), decoderFor);
  }

  /** Run `fn` in one transaction (all or nothing). */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export function openStore(path: string, opts: StoreOptions = {}): Store {
  return new Store(openDb(path, opts), path, opts.decoderFor);
}
