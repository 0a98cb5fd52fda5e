// The lab store as the API serves it (issue 17): which lab this process uses (an explicit connect from the UI —
// kept in memory only —, else $CXL_BENCH_LAB or the settings file), one connection pool to it, and at most one
// publish at a time with progress ('lab.progress' events) and cancel. One LabService per Services.

import type { LabPublishResult, LabStatus } from '../api/contract-lab.js';
import type { Services } from '../services/services.js';
import { publishSession, type PublishOptions } from './publish.js';
import { describeLab, resolveLab, type ResolvedLab } from './lab-config.js';
import { LabConnection } from './lab-connection.js';
import { LabError } from './lab-error.js';
import { labMigrations, labSchemaVersion } from './lab-migrate.js';

export class LabService {
  private explicit: { url: string; bench?: string } | null = null;
  private conn: { url: string; lab: LabConnection } | null = null;
  private publishing: AbortController | null = null;

  constructor(
    private readonly services: Services,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  resolved(): ResolvedLab {
    return resolveLab(this.explicit?.url, this.env, this.explicit?.bench);
  }

  /** The pool for the configured lab (a new one when the configuration changed). */
  connection(): LabConnection {
    const r = this.resolved();
    if (this.conn?.url !== r.url) {
      void this.conn?.lab.close();
      this.conn = { url: r.url, lab: new LabConnection(r.url) };
    }
    return this.conn.lab;
  }

  async connect(url: string, bench?: string): Promise<LabStatus> {
    const prev = this.explicit;
    this.explicit = { url, ...(bench ? { bench } : {}) };
    const s = await this.status();
    if (!s.reachable) this.explicit = prev; // keep what worked
    return s;
  }

  async status(url?: string): Promise<LabStatus> {
    let r: ResolvedLab;
    try {
      r = url ? resolveLab(url, this.env) : this.resolved();
    } catch (e) {
      return { configured: false, lab: null, source: null, bench: this.env.CXL_BENCH_NAME ?? '', reachable: false, schema: 0, canPublish: false, error: (e as Error).message };
    }
    const base = { configured: true, lab: describeLab(r.url), source: r.source, bench: r.bench };
    const lab = url ? new LabConnection(url) : this.connection();
    try {
      const schema = await labSchemaVersion(lab);
      const latest = labMigrations().at(-1)?.version ?? 0;
      const priv = await lab.query<{ ok: boolean }>(
        schema > 0
          ? "SELECT has_table_privilege(current_user, 'cxl_bench.event_chunks', 'INSERT') AS ok"
          : "SELECT has_database_privilege(current_user, current_database(), 'CREATE') AS ok",
        [],
        'checking privileges',
      );
      const error = schema > latest ? `lab schema ${schema} is newer than this build (${latest})` : null;
      return { ...base, reachable: true, schema, canPublish: Boolean(priv[0]?.ok) && !error, error };
    } catch (e) {
      return { ...base, reachable: false, schema: 0, canPublish: false, error: (e as Error).message };
    } finally {
      if (url) await lab.close();
    }
  }

  async publish(sessionId: number, identity: PublishOptions['identity']): Promise<LabPublishResult> {
    if (this.publishing) throw new LabError('data', 'a publish is already running; wait for it or cancel it (lab.cancel)');
    const ac = new AbortController();
    this.publishing = ac;
    const hub = this.services.hub;
    const r = this.resolved();
    try {
      const res = await publishSession(this.connection(), this.services.store, sessionId, {
        bench: r.bench,
        ...(identity ? { identity } : {}),
        signal: ac.signal,
        onProgress: (p) => hub.emit({ type: 'lab.progress', sessionId, runsDone: p.runsDone, runsTotal: p.runsTotal, events: p.events, eventsTotal: p.eventsTotal, done: false }),
      });
      hub.emit({ type: 'lab.progress', sessionId, runsDone: res.runs.length, runsTotal: res.runs.length, events: 0, eventsTotal: 0, done: true });
      this.services.log('info', `lab: published session ${sessionId} to ${res.lab} as bench ${res.bench} (${res.runs.length} runs, ${res.eventsSent} events sent)`);
      return res;
    } catch (e) {
      const msg = this.conn?.lab.redact((e as Error).message) ?? (e as Error).message;
      hub.emit({ type: 'lab.progress', sessionId, runsDone: 0, runsTotal: 0, events: 0, eventsTotal: 0, done: true, error: msg });
      this.services.log('warn', `lab: publish of session ${sessionId} stopped: ${msg}`);
      throw e;
    } finally {
      this.publishing = null;
    }
  }

  cancel(): boolean {
    if (!this.publishing) return false;
    this.publishing.abort();
    return true;
  }

  async close(): Promise<void> {
    this.publishing?.abort();
    await this.conn?.lab.close();
    this.conn = null;
  }
}

const byServices = new WeakMap<Services, LabService>();

export function labService(s: Services): LabService {
  let l = byServices.get(s);
  if (!l) {
    l = new LabService(s);
    byServices.set(s, l);
  }
  return l;
}
