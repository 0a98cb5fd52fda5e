// A small in-memory stand-in for main/server, speaking the same WebSocket protocol, for pinning renderer
// behaviour that does not depend on the real services (a 1 M-event trace without running 1 M accesses).
//   client -> { id, call, input }   server -> { id, ok, result | error }   pushes { event }
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type {
  ApiCalls,
  ApiName,
  Run,
  ServerEvent,
  Session,
  Step,
  TraceFilter,
  TraceRow,
} from '../../main/api/contract.js';
import { LAUNCH_PARAM, SessionAuth } from '../../main/server/session-auth.js';
import { staticHandler } from './static-files.js';

type Handler<N extends ApiName> = (input: ApiCalls[N][0]) => ApiCalls[N][1];

class NotFound extends Error {}

const REGS = [
  ['Device Status', 'Mailbox_Interface_Ready=1, Media_Status=1'],
  ['Mailbox Control', 'Doorbell=0'],
  ['HDM Decoder 0 Control', 'Committed=1, IW=0, IG=0'],
  ['CXL DVSEC Range 1 Size Low', 'Memory_Info_Valid=1, Memory_Active=1'],
] as const;

/** Row `i` of a synthetic trace: deterministic, so tests can check what a row index shows. */
export function syntheticRow(i: number): TraceRow {
  const [register, fields] = REGS[i % REGS.length]!;
  const write = i % 7 === 3;
  return {
    seq: i,
    timeNs: i * 40,
    node: 'hb0.rp0.ep0',
    kind: 'access',
    space: i % 5 === 0 ? 'cfg' : 'mmio',
    region: i % 5 === 0 ? 'CFG' : 'BAR2',
    offset: (i * 4) % 0x1000,
    width: 4,
    op: write ? 'W' : 'R',
    value: '0x' + ((i * 2654435761) >>> 0).toString(16).toUpperCase().padStart(8, '0'),
    status: i % 97 === 11 ? 'unclaimed' : 'ok',
    register: `dev · ${register}`,
    fields,
  };
}

function matches(r: TraceRow, f: TraceFilter | undefined): boolean {
  if (!f) return true;
  if (f.node && !r.node.includes(f.node)) return false;
  if (f.space && r.space !== f.space) return false;
  if (f.op && r.op !== f.op) return false;
  if (f.status && r.status !== f.status) return false;
  if (f.text && !`${r.register} ${r.fields} ${r.value}`.toLowerCase().includes(f.text.toLowerCase())) return false;
  return true;
}

export interface MockServer {
  /** A new one-time launch link each time it is read (signs a page in, as main/server does). */
  readonly url: string;
  /** Add a finished run with `events` synthetic trace rows to a new session; returns its ids. */
  seedRun(events: number, sessionName?: string): { sessionId: number; runId: number };
  /** Every call the UI made, in order (name only). */
  calls: string[];
  close(): Promise<void>;
}

export async function startMockServer(staticDir: string, opts: { runMs?: number; runEvents?: number } = {}): Promise<MockServer> {
  const sessions = new Map<number, Session>();
  const runs = new Map<number, Run & { steps: Step[] }>();
  const sockets = new Set<WebSocket>();
  const calls: string[] = [];
  const filtered = new Map<string, TraceRow[]>(); // filter results, computed once (first 200 k rows only)
  let nextSession = 1;
  let nextRun = 1;
  const runMs = opts.runMs ?? 1500;
  const runEvents = opts.runEvents ?? 5000;

  const push = (event: ServerEvent) => {
    const text = JSON.stringify({ event });
    for (const s of sockets) s.send(text);
  };
  const session = (id: number) => {
    const s = sessions.get(id);
    if (!s) throw new NotFound(`no session ${id}`);
    return s;
  };
  const addRun = (sessionId: number, sequence: string, status: Run['status'], eventCount: number) => {
    const s = session(sessionId);
    const id = nextRun++;
    const run: Run & { steps: Step[] } = {
      id, sessionId, sequence, topology: 'default', targets: 'hb0.rp0.ep0=emulated', status,
      startedAt: new Date().toISOString(), endedAt: null, eventCount,
      stepCounts: { pass: 0, warn: 0, fail: 0, info: 0 }, summary: null, steps: [],
    };
    runs.set(id, run);
    s.runCount++;
    return run;
  };
  const finish = (run: Run & { steps: Step[] }) => {
    const names = ['read vendor ID', 'find CXL DVSEC', 'map component registers', 'mailbox ready', 'identify memdev', 'HDM decoder count'];
    run.steps = names.map((name, i) => ({
      seq: i, name, verdict: i === 4 ? 'warn' : 'pass', reason: i === 4 ? 'mailbox busy for 3 polls' : 'as expected',
      evidence: i === 1 ? 'DVSEC 0 +0x1C = 0x0000_0003 (Memory_Info_Valid=1, Memory_Active=1)' : null,
      eventSeq: Math.floor((run.eventCount * i) / names.length),
    }));
    run.stepCounts = { pass: 5, warn: 1, fail: 0, info: 0 };
    run.status = 'passed';
    run.endedAt = new Date().toISOString();
    run.summary = '5 pass, 1 warn';
  };

  // Only the calls the first screen makes; anything else answers not-found.
  const table: { [N in ApiName]?: Handler<N> } = {
    'app.info': () => ({
      name: 'CXL Bench', version: '0.1.0-mock', dbPath: ':memory:', shell: 'browser', node: process.version,
      sequences: [
        { id: 'linux-probe', title: 'Linux probe', description: 'cxl_pci -> cxl_mem probe' },
        { id: 'enumerate', title: 'Enumerate', description: 'walk buses' },
      ],
      topologies: ['default'],
    }),
    'sessions.create': ({ name }) => {
      const s: Session = { id: nextSession++, name, createdAt: new Date().toISOString(), runCount: 0 };
      sessions.set(s.id, s);
      return s;
    },
    'sessions.list': () => [...sessions.values()],
    'sessions.rename': ({ id, name }) => Object.assign(session(id), { name }),
    'sessions.delete': ({ id }) => {
      session(id);
      sessions.delete(id);
      for (const [rid, r] of runs) if (r.sessionId === id) runs.delete(rid);
      return { deleted: true };
    },
    'runs.start': ({ sessionId, sequence }) => {
      const run = addRun(sessionId, sequence ?? 'linux-probe', 'running', 0);
      const t0 = Date.now();
      const total = 6;
      const tick = setInterval(() => {
        const frac = Math.min(1, (Date.now() - t0) / runMs);
        run.eventCount = Math.floor(frac * runEvents);
        push({ type: 'run.progress', runId: run.id, done: Math.floor(frac * total), total, phase: 'probe', events: run.eventCount });
        if (frac >= 1) {
          clearInterval(tick);
          finish(run);
          push({ type: 'run.finished', runId: run.id, status: run.status, summary: run.summary! });
        }
      }, 100);
      const { steps: _steps, ...pub } = run;
      return { ...pub };
    },
    'runs.cancel': ({ id }) => {
      const r = runs.get(id);
      if (!r) throw new NotFound(`no run ${id}`);
      const { steps: _s, ...pub } = r;
      return pub;
    },
    'runs.list': ({ sessionId }) =>
      [...runs.values()].filter((r) => sessionId === undefined || r.sessionId === sessionId).map(({ steps: _s, ...r }) => r),
    'runs.get': ({ id }) => {
      const r = runs.get(id);
      if (!r) throw new NotFound(`no run ${id}`);
      return structuredClone(r);
    },
    'trace.page': ({ runId, offset, limit, filter }) => {
      const r = runs.get(runId);
      if (!r) throw new NotFound(`no run ${runId}`);
      if (!filter || Object.keys(filter).length === 0) {
        const rows: TraceRow[] = [];
        for (let i = offset; i < Math.min(r.eventCount, offset + limit); i++) rows.push(syntheticRow(i));
        return { total: r.eventCount, offset, rows };
      }
      const key = `${runId}|${r.eventCount}|${JSON.stringify(filter)}`;
      let all = filtered.get(key);
      if (!all) {
        all = [];
        for (let i = 0; i < Math.min(r.eventCount, 200_000); i++) {
          const row = syntheticRow(i);
          if (matches(row, filter)) all.push(row);
        }
        filtered.set(key, all);
      }
      return { total: all.length, offset, rows: all.slice(offset, offset + limit) };
    },
    'logs.page': ({ offset }) => ({ total: 0, offset, rows: [] }),
  };

  // Sign-in as the real server does it (main/server/session-auth.ts): launch link -> session cookie -> upgrade.
  let auth: SessionAuth | undefined;
  const serveFile = staticHandler(staticDir);
  const http: Server = createServer((req, res) => {
    const code = new URL(req.url ?? '/', 'http://x').searchParams.get(LAUNCH_PARAM);
    if (code === null) return void serveFile(req, res);
    const r = auth!.exchange(code);
    if (!r.ok) return void res.writeHead(401).end();
    res.writeHead(303, { location: '/', 'set-cookie': auth!.setCookie(r.session) }).end();
  });
  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/api' || !auth?.authorised(req)) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as { id: number; call: ApiName; input: never };
        calls.push(msg.call);
        try {
          const handler = table[msg.call] as (i: unknown) => unknown;
          if (!handler) throw new NotFound(`no call ${msg.call}`);
          ws.send(JSON.stringify({ id: msg.id, ok: true, result: handler(msg.input) }));
        } catch (err) {
          const code = err instanceof NotFound ? 'not-found' : 'internal';
          ws.send(JSON.stringify({ id: msg.id, ok: false, error: { code, message: (err as Error).message } }));
        }
      });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  auth = new SessionAuth(port);
  const signIn = auth;

  return {
    get url() {
      return `http://127.0.0.1:${port}/?${LAUNCH_PARAM}=${signIn.newLaunchCode()}`;
    },
    calls,
    seedRun(events, sessionName = 'big trace') {
      const s = table['sessions.create']!({ name: sessionName });
      const run = addRun(s.id, 'linux-probe', 'running', events);
      finish(run);
      return { sessionId: s.id, runId: run.id };
    },
    async close() {
      for (const s of sockets) s.terminate();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
