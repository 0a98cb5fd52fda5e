// One connection pool to the lab store (issue 17). Every failure comes out as a LabError naming the lab without
// credentials (lab-error.ts); an idle connection that dies (the server went away) is dropped, never fatal.

import pg from 'pg';
import { describeLab, parseLabUrl } from './lab-config.js';
import { labErrorFrom, redact } from './lab-error.js';

export interface LabConnectOptions {
  /** Pool size (default 4). */
  max?: number;
  /** Give up connecting after this long (default 5 s). */
  connectTimeoutMs?: number;
}

export type LabClient = pg.PoolClient;

const checkedOutGuard = new WeakSet<pg.PoolClient>();

export class LabConnection {
  readonly where: string;
  private readonly pool: pg.Pool;
  private readonly secret: string;
  private closed = false;

  constructor(url: string, opts: LabConnectOptions = {}) {
    this.where = describeLab(url);
    this.secret = parseLabUrl(url).password;
    this.pool = new pg.Pool({
      connectionString: url,
      max: opts.max ?? 4,
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
      idleTimeoutMillis: 10_000,
      allowExitOnIdle: true,
      application_name: 'cxl-bench',
      // A dead peer is noticed by TCP keepalive rather than a hung query.
      keepAlive: true,
    });
    this.pool.on('error', () => {
      // An idle client lost its server: the pool discards it; the next query reconnects or fails by name.
    });
  }

  /** A message with this lab's secrets hidden. */
  redact(text: string): string {
    return redact(text, [this.secret]);
  }

  private fail(e: unknown, doing: string): never {
    const le = labErrorFrom(e, this.where, doing);
    le.message = this.redact(le.message);
    throw le;
  }

  async query<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params: unknown[] = [], doing = 'query'): Promise<R[]> {
    try {
      return (await this.pool.query<R>(sql, params)).rows;
    } catch (e) {
      return this.fail(e, doing);
    }
  }

  /** `fn` inside BEGIN ... COMMIT on one client (ROLLBACK on any error; a broken client is not reused). */
  async tx<T>(doing: string, fn: (c: LabClient) => Promise<T>): Promise<T> {
    const client = await this.client(doing);
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (e) {
      try {
        await client.query('ROLLBACK');
      } catch (re) {
        broken = re as Error;
      }
      return this.fail(e, doing);
    } finally {
      client.release(broken ?? undefined);
    }
  }

  /** A client of its own for a sequence of statements (release it). */
  async client(doing: string): Promise<pg.PoolClient> {
    let c: pg.PoolClient;
    try {
      c = await this.pool.connect();
    } catch (e) {
      return this.fail(e, doing);
    }
    // A checked-out client whose server dies emits 'error' besides failing its query: the query's rejection
    // carries the news; without a listener the event would end the process.
    if (!checkedOutGuard.has(c)) {
      checkedOutGuard.add(c);
      c.on('error', () => undefined);
    }
    return c;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end().catch(() => undefined);
  }
}
