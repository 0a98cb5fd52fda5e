// `cxl-bench lab ...`: the lab store on PostgreSQL (issue 17). The lab is $CXL_BENCH_LAB (or "lab" in the
// settings file, or --lab URL without a password: a password on the command line shows in the process list —
// use PGPASSWORD or ~/.pgpass / PGPASSFILE). Exit 0 ok, 1 the lab failed (unreachable, refused) or compared runs
// differ, 2 bad usage (including no lab configured).

import { existsSync } from 'node:fs';
import type { LabPullResult, LabRun } from '../../main/api/contract-lab.js';
import { CompareService } from '../../main/compare/compare-service.js';
import { getRun, listBenches, listBoards, listRuns, listSessions, listTopologies } from '../../main/lab/browse.js';
import { buildLabel, checkHistory } from '../../main/lab/history.js';
import { parseLabUrl, resolveLab } from '../../main/lab/lab-config.js';
import { LabConnection } from '../../main/lab/lab-connection.js';
import { LabError } from '../../main/lab/lab-error.js';
import { labMigrations, migrateLab, requireLabSchema } from '../../main/lab/lab-migrate.js';
import { publishSession, type PublishResult } from '../../main/lab/publish.js';
import { pullRun } from '../../main/lab/pull.js';
import { renewStoreUuid } from '../../main/lab/store-identity.js';
import { openStore, type Store } from '../../main/store/store.js';
import { DEFAULT_DB, int, parse, str, type Options, type Parsed } from '../args.js';
import { write, type CliIo } from '../io.js';
import { ProgressBar } from '../progress-bar.js';
import { EXIT, UsageError } from '../usage.js';
import { compareText } from './compare.js';

export const LAB_USAGE = `usage: cxl-bench lab <subcommand> [options]        (every subcommand takes [--lab URL] [--json])

the lab store: one PostgreSQL database shared by every bench. Connection: $CXL_BENCH_LAB=postgres://user@host/db
(TLS: ?sslmode=require or verify-full&sslrootcert=FILE), or "lab" in the settings file ($CXL_BENCH_SETTINGS,
~/.config/cxl-bench/settings.json); the password in PGPASSWORD or ~/.pgpass (PGPASSFILE), never in --lab.
This bench's name in the lab: --bench NAME, $CXL_BENCH_NAME, settings "lab.bench", else the host name.

  lab status                      where the lab is, whether it answers, its schema, whether you may publish
  lab init                        create or upgrade the lab's schema (needs CREATE on the database)
  lab publish SESSION|--all [--bench NAME] [--revision R] [--gateware BUILD] [--firmware FW] [--map FILE]
              [--new-identity] [--db FILE]
                                  publish sessions (runs, traces, steps, logs, devices, comparisons, notes, saved
                                  topologies); idempotent: again after a cut-off continues where it stopped.
                                  --revision/--gateware/--firmware override what the devices and maps say
  lab benches | lab boards        the benches that published; the board registry (serial, revision, builds)
  lab sessions [--bench NAME]      published sessions (runs, saved comparisons, notes)
  lab topologies [--bench NAME]   the saved topologies benches published (--json: with their JSON)
  lab browse [--bench NAME] [--session N] [--serial S] [--revision R] [--gateware B] [--sequence ID]
             [--status S] [--limit N]
                                  lab runs, newest first, with their boards
  lab show RUN                    one lab run: devices and steps with verdicts
  lab pull RUN ... [--db FILE]    copy lab runs into the local database (session "lab: BENCH / SESSION")
  lab compare RUN_A RUN_B [--mask FIELD ...] [--db FILE]
                                  pull two lab runs (any benches) and compare them (exit 1 when they differ)
  lab history CHECK [--sequence ID] [--serial S]
                                  verdict of one step across board revisions and builds, and since when`;

const COMMON: Options = { lab: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } };

const positiveId = (cmd: string, s: string): number => {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${cmd}: ids must be positive integers, got "${s}"`);
  return n;
};

/** The --lab value, refused when it carries a password (it would be visible to every user in `ps`). */
function labOption(cmd: string, p: Parsed): string | undefined {
  const url = str(p, 'lab');
  if (url === undefined) return undefined;
  let pw = '';
  try {
    pw = parseLabUrl(url).password;
  } catch (e) {
    throw new UsageError(`${cmd}: --lab: ${(e as Error).message}`);
  }
  if (pw) throw new UsageError(`${cmd}: --lab must not carry a password (the process list shows it): put it in PGPASSWORD or ~/.pgpass (PGPASSFILE), or use CXL_BENCH_LAB`);
  return url;
}

async function withLabConnection<T>(cmd: string, p: Parsed, fn: (lab: LabConnection, bench: string) => Promise<T>): Promise<T> {
  let r;
  try {
    r = resolveLab(labOption(cmd, p), process.env, str(p, 'bench'));
  } catch (e) {
    if (e instanceof LabError && e.kind === 'config') throw new UsageError(`${cmd}: ${e.message}`);
    throw e;
  }
  const lab = new LabConnection(r.url);
  try {
    return await fn(lab, r.bench);
  } finally {
    await lab.close();
  }
}

function localStore(cmd: string, p: Parsed, mustExist: boolean): Store {
  const dbPath = str(p, 'db') ?? DEFAULT_DB;
  if (mustExist && !existsSync(dbPath)) throw new UsageError(`${cmd}: no database at ${dbPath}`);
  return openStore(dbPath, { recover: !mustExist });
}

const out = async (io: CliIo, p: Parsed, value: unknown, text: () => string) =>
  write(io.stdout, p.values.json ? JSON.stringify(value) + '\n' : text());

const pad = (s: string | number, n: number) => String(s).padEnd(n);
const devicesText = (r: LabRun) =>
  r.devices
    .filter((d) => d.kind === 'hardware')
    .map((d) => `${d.serial || '?'} ${buildLabel(d)}`)
    .join('; ') || (r.devices.length ? 'emulated' : '-');

type Sub = (args: string[], io: CliIo) => Promise<number>;

const SUBS: Record<string, { options: Options; positionals: [number, number, string]; run(p: Parsed, io: CliIo): Promise<number> }> = {
  status: {
    options: { bench: { type: 'string' } },
    positionals: [0, 0, ''],
    async run(p, io) {
      return withLabConnection('lab status', p, async (lab, bench) => {
        const latest = labMigrations().at(-1)?.version ?? 0;
        const { labSchemaVersion } = await import('../../main/lab/lab-migrate.js');
        const schema = await labSchemaVersion(lab);
        const s = { lab: lab.where, bench, schema, latest };
        await out(io, p, s, () => `lab ${lab.where}: reachable, schema ${schema}${schema === latest ? '' : ` (this build: ${latest})`}; this bench publishes as "${bench}"\n`);
        return EXIT.ok;
      });
    },
  },
  init: {
    options: {},
    positionals: [0, 0, ''],
    async run(p, io) {
      return withLabConnection('lab init', p, async (lab) => {
        const applied = await migrateLab(lab);
        await out(io, p, { lab: lab.where, applied }, () => `lab ${lab.where}: ${applied.length ? `applied schema ${applied.join(', ')}` : 'schema up to date'}\n`);
        return EXIT.ok;
      });
    },
  },
  publish: {
    options: {
      all: { type: 'boolean' },
      bench: { type: 'string' },
      revision: { type: 'string' },
      gateware: { type: 'string' },
      firmware: { type: 'string' },
      map: { type: 'string' },
      'new-identity': { type: 'boolean' },
      db: { type: 'string' },
    },
    positionals: [0, 1, 'SESSION'],
    async run(p, io) {
      const cmd = 'lab publish';
      if (!p.values.all && p.positionals.length === 0) throw new UsageError(`${cmd}: name a SESSION (id or name) or --all`);
      if (p.values.all && p.positionals.length) throw new UsageError(`${cmd}: SESSION and --all together`);
      const map = str(p, 'map');
      if (map && !existsSync(map)) throw new UsageError(`${cmd}: --map ${map}: no such file`);
      const store = localStore(cmd, p, true);
      try {
        const arg = p.positionals[0];
        const sessions = p.values.all
          ? store.sessions.list()
          : [store.sessions.get(Number(arg)) ?? store.sessions.findByName(arg!)].filter((s) => s !== undefined);
        if (sessions.length === 0) throw new UsageError(`${cmd}: no session "${arg ?? ''}" in ${store.path}`);
        if (p.values['new-identity']) renewStoreUuid(store);
        const identity = {
          ...(str(p, 'revision') ? { revision: str(p, 'revision')! } : {}),
          ...(str(p, 'gateware') ? { gateware: str(p, 'gateware')! } : {}),
          ...(str(p, 'firmware') ? { firmware: str(p, 'firmware')! } : {}),
          ...(map ? { mapFile: map } : {}),
        };
        return await withLabConnection(cmd, p, async (lab, bench) => {
          const bar = new ProgressBar(io.stderr);
          const results: PublishResult[] = [];
          // Ctrl-C stops between batches; what was sent stays, and the next publish continues from there.
          const ac = new AbortController();
          const onInt = () => ac.abort();
          process.once('SIGINT', onInt);
          try {
            for (const s of sessions) {
              const r = await publishSession(lab, store, s.id, {
                bench,
                identity,
                signal: ac.signal,
                onProgress: (x) => bar.update(x.events, x.eventsTotal, `session ${s.id} · run ${x.runsDone}/${x.runsTotal} · ${x.events} events`),
              });
              bar.clear();
              results.push(r);
            }
          } finally {
            process.off('SIGINT', onInt);
            bar.clear();
          }
          await out(io, p, p.values.all ? results : results[0], () =>
            results
              .map((r) => {
                const by = (o: string) => r.runs.filter((x) => x.outcome === o).length;
                return `published session ${r.sessionId} to ${r.lab} as bench "${r.bench}" (lab session ${r.labSessionId}): ${by('published')} new, ${by('resumed')} resumed, ${by('unchanged')} already there, ${by('skipped-running')} still running; ${r.eventsSent} events in ${r.seconds.toFixed(2)} s; ${r.comparisons} comparisons, ${r.notes} notes, ${r.topologies} saved topologies\n`;
              })
              .join(''),
          );
          return EXIT.ok;
        });
      } finally {
        store.close();
      }
    },
  },
  benches: {
    options: {},
    positionals: [0, 0, ''],
    run: (p, io) =>
      withLabConnection('lab benches', p, async (lab) => {
        await requireLabSchema(lab);
        const rows = await listBenches(lab);
        await out(io, p, rows, () => ['bench                 host                  sessions  runs  last seen', ...rows.map((b) => `${pad(b.name, 20)}  ${pad(b.host, 20)}  ${pad(b.sessions, 8)}  ${pad(b.runs, 4)}  ${b.lastSeen}`)].join('\n') + '\n');
        return EXIT.ok;
      }),
  },
  boards: {
    options: {},
    positionals: [0, 0, ''],
    run: (p, io) =>
      withLabConnection('lab boards', p, async (lab) => {
        await requireLabSchema(lab);
        const rows = await listBoards(lab);
        await out(io, p, rows, () =>
          ['serial            revision    gateware    firmware          runs  last bench', ...rows.map((b) => `${pad(b.serial, 16)}  ${pad(b.revision, 10)}  ${pad(b.gateware, 10)}  ${pad(b.firmware, 16)}  ${pad(b.runs, 4)}  ${b.bench}`)].join('\n') + '\n',
        );
        return EXIT.ok;
      }),
  },
  sessions: {
    options: { bench: { type: 'string' } },
    positionals: [0, 0, ''],
    run: (p, io) =>
      withLabConnection('lab sessions', p, async (lab) => {
        await requireLabSchema(lab);
        const rows = await listSessions(lab, str(p, 'bench'));
        await out(io, p, rows, () =>
          ['   id  bench                 runs  cmp  notes  name', ...rows.map((s) => `${String(s.id).padStart(5)}  ${pad(s.bench, 20)}  ${pad(s.runs, 4)}  ${pad(s.comparisons, 3)}  ${pad(s.notes, 5)}  ${s.name}`)].join('\n') + '\n',
        );
        return EXIT.ok;
      }),
  },
  browse: {
    options: {
      bench: { type: 'string' },
      session: { type: 'string' },
      serial: { type: 'string' },
      revision: { type: 'string' },
      gateware: { type: 'string' },
      sequence: { type: 'string' },
      status: { type: 'string' },
      limit: { type: 'string' },
    },
    positionals: [0, 0, ''],
    run: (p, io) =>
      withLabConnection('lab browse', p, async (lab) => {
        await requireLabSchema(lab);
        const f = {
          ...(str(p, 'bench') ? { bench: str(p, 'bench')! } : {}),
          ...(str(p, 'session') ? { sessionId: positiveId('lab browse', str(p, 'session')!) } : {}),
          ...(str(p, 'serial') ? { serial: str(p, 'serial')! } : {}),
          ...(str(p, 'revision') ? { revision: str(p, 'revision')! } : {}),
          ...(str(p, 'gateware') ? { gateware: str(p, 'gateware')! } : {}),
          ...(str(p, 'sequence') ? { sequence: str(p, 'sequence')! } : {}),
          ...(str(p, 'status') ? { status: str(p, 'status') as LabRun['status'] } : {}),
          limit: int('lab browse', p, 'limit', 1, 1000) ?? 50,
        };
        const page = await listRuns(lab, f);
        await out(io, p, page, () =>
          [
            `${page.rows.length} of ${page.total} lab runs`,
            '    id  bench             status       sequence      events     steps (p/w/f)  board',
            ...page.rows.map(
              (r) =>
                `${String(r.id).padStart(6)}  ${pad(r.bench, 16)}  ${pad(r.status, 11)}  ${pad(r.sequence, 12)}  ${String(r.eventCount).padStart(9)}  ${pad(`${r.stepCounts.pass}/${r.stepCounts.warn}/${r.stepCounts.fail}`, 13)}  ${devicesText(r)}`,
            ),
          ].join('\n') + '\n',
        );
        return EXIT.ok;
      }),
  },
  topologies: {
    options: { bench: { type: 'string' } },
    positionals: [0, 0, ''],
    run: (p, io) =>
      withLabConnection('lab topologies', p, async (lab) => {
        await requireLabSchema(lab);
        const rows = await listTopologies(lab, str(p, 'bench'));
        await out(io, p, rows, () => ['bench                 name                  sha256        updated', ...rows.map((t) => `${pad(t.bench, 20)}  ${pad(t.name, 20)}  ${t.sha256.slice(0, 12)}  ${t.updatedAt}`)].join('\n') + '\n');
        return EXIT.ok;
      }),
  },
  show: {
    options: {},
    positionals: [1, 1, 'RUN'],
    run: (p, io) =>
      withLabConnection('lab show', p, async (lab) => {
        await requireLabSchema(lab);
        const r = await getRun(lab, positiveId('lab show', p.positionals[0]!));
        await out(io, p, r, () =>
          [
            `lab run ${r.id} from bench ${r.bench} (its run ${r.localId}, session "${r.session}"): ${r.sequence} on ${r.topology} — ${r.status.toUpperCase()}`,
            `  ${r.eventCount} events; ${r.summary ?? ''}`,
            ...r.devices.map((d) => `  ${d.node}: ${d.kind}${d.link ? ` ${d.link}` : ''}, serial ${d.serial || '?'}, ${buildLabel(d)}`),
            ...r.steps.map((s) => `  ${s.verdict.toUpperCase().padEnd(5)} ${s.name}  ${s.reason}`),
            ...r.notes.map((n) => `  note${n.onSession ? ' (session)' : ''}: ${n.text}`),
          ].join('\n') + '\n',
        );
        return EXIT.ok;
      }),
  },
  pull: {
    options: { db: { type: 'string' } },
    positionals: [1, 100, 'RUN ...'],
    async run(p, io) {
      const ids = p.positionals.map((s) => positiveId('lab pull', s));
      const store = localStore('lab pull', p, false);
      try {
        return await withLabConnection('lab pull', p, async (lab) => {
          const bar = new ProgressBar(io.stderr);
          const pulled: LabPullResult[] = [];
          try {
            for (const id of ids) pulled.push(await pullRun(lab, store, id, { onProgress: (n, t) => bar.update(n, t, `lab run ${id} · ${n} events`) }));
          } finally {
            bar.clear();
          }
          await out(io, p, pulled, () => pulled.map((x) => `lab run ${x.labRunId} -> local run ${x.runId} (session ${x.sessionId}, ${x.events} events${x.reused ? ', pulled before' : ''})\n`).join(''));
          return EXIT.ok;
        });
      } finally {
        store.close();
      }
    },
  },
  compare: {
    options: { db: { type: 'string' }, mask: { type: 'string', multiple: true } },
    positionals: [2, 2, 'RUN_A RUN_B'],
    async run(p, io) {
      const [a, b] = p.positionals.map((s) => positiveId('lab compare', s));
      const store = localStore('lab compare', p, false);
      try {
        return await withLabConnection('lab compare', p, async (lab) => {
          const pa = await pullRun(lab, store, a!);
          const pb = await pullRun(lab, store, b!);
          const masks = p.values.mask as unknown as string[] | undefined;
          const service = new CompareService(store);
          const r = service.run({ runA: pa.runId, runB: pb.runId, ...(masks ? { masks } : {}) });
          const hunks = !p.values.json && r.hunkCount > 0 ? service.hunks(r.compareId, 0, 5) : null;
          await out(io, p, { pulled: [pa, pb], summary: r }, () => `lab runs ${a} and ${b} pulled as local runs ${pa.runId} and ${pb.runId}\n` + compareText(r, hunks));
          return r.equal ? EXIT.ok : EXIT.failed;
        });
      } finally {
        store.close();
      }
    },
  },
  history: {
    options: { sequence: { type: 'string' }, serial: { type: 'string' } },
    positionals: [1, 1, 'CHECK'],
    run: (p, io) =>
      withLabConnection('lab history', p, async (lab) => {
        await requireLabSchema(lab);
        const h = await checkHistory(lab, p.positionals[0]!, str(p, 'sequence'), str(p, 'serial'));
        await out(io, p, h, () => {
          if (h.groups.length === 0) return `no lab run recorded a step "${h.check}"\n`;
          const lines = [`${h.check}: ${h.since ?? `${h.groups.at(-1)!.verdict} on every build seen`}`];
          for (const g of h.groups)
            lines.push(`  ${pad(buildLabel(g), 36)}  ${g.verdict.toUpperCase().padEnd(4)}  ${g.counts.pass} pass, ${g.counts.warn} warn, ${g.counts.fail} fail  (runs ${g.runs.map((r) => `${r.runId}@${r.bench}`).join(', ')})`);
          return lines.join('\n') + '\n';
        });
        return EXIT.ok;
      }),
  },
};

export const labCommand: Sub = async (args, io) => {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    await write(sub === undefined ? io.stderr : io.stdout, LAB_USAGE + '\n');
    return sub === undefined ? EXIT.usage : EXIT.ok;
  }
  const def = Object.hasOwn(SUBS, sub) ? SUBS[sub] : undefined;
  if (!def) throw new UsageError(`lab: unknown subcommand "${sub}" (expected: ${Object.keys(SUBS).join(', ')})`);
  const p = parse(`lab ${sub}`, rest, { ...COMMON, ...def.options }, { min: rest.includes('--help') || rest.includes('-h') ? 0 : def.positionals[0], max: def.positionals[1], names: def.positionals[2] });
  if (p.values.help) {
    await write(io.stdout, LAB_USAGE + '\n');
    return EXIT.ok;
  }
  try {
    return await def.run(p, io);
  } catch (e) {
    if (e instanceof LabError) {
      await write(io.stderr, `cxl-bench: lab ${sub}: ${e.message}\n`);
      return e.kind === 'config' ? EXIT.usage : EXIT.failed;
    }
    throw e;
  }
};
