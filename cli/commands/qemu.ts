// `cxl-bench qemu doctor|cmdline|run|topologies|capture`, and `cxl-bench run --target qemu …` (the same run):
// the QEMU + Linux target (main/qemu). doctor: what this machine has and how to get what is missing (exit 2
// when something needed is missing). cmdline: the command line a run would use (exit 2 naming the topology
// field QEMU cannot build). run: boot, probe, optionally a region; the run's steps as a table (exit 0 passed,
// 1 failed or error — a hung guest ends 'error' at its timeout —, 2 no QEMU / no kernel / bad topology).

import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ApiError } from '../../main/api/api-error.js';
import type { QemuRunApiInput } from '../../main/api/contract-qemu.js';
import { qemuDoctor } from '../../main/api/calls-qemu.js';
import { callApi } from '../../main/api/table.js';
import { captureFixture } from '../../main/qemu/capture.js';
import { QEMU_TOPOLOGIES, isQemuTopologyName } from '../../main/qemu/qemu-topologies.js';
import { createServices } from '../../main/services/services.js';
import { DEFAULT_DB, int, oneOf, parse, str, type Parsed } from '../args.js';
import { write, type CliIo } from '../io.js';
import { ProgressBar } from '../progress-bar.js';
import { EXIT, UsageError } from '../usage.js';
import { runText } from './run.js';

export const QEMU_USAGE = `usage: cxl-bench qemu <subcommand>
  qemu doctor [--kernel PATH] [--qemu PATH] [--json]
         what this machine has for QEMU + Linux runs (qemu-system-x86_64, a kernel with CXL modules, a static
         busybox, ndctl's cxl) and the Debian package for what is missing; exit 2 when a needed one is missing
  qemu cmdline [--topology NAME|FILE] [--kernel PATH] [--region ram|pmem] [--ways N] [--granularity N] [--json]
         the QEMU command line a run of the topology would use (pxb-cxl, cxl-rp, switch ports, cxl-type3,
         cxl-fmw windows); a topology QEMU cannot build exits 2 naming the field and why
  qemu run [--topology NAME|FILE] [--kernel PATH] [--qemu PATH] [--region ram|pmem] [--ways N] [--granularity N]
         [--timeout S] [--initrd-extra DIR] [--session NAME] [--db FILE] [--json]
         boot the topology in QEMU (TCG) with this machine's kernel and the CXL modules, wait for probe,
         \`cxl list\`, optionally create a region; the trace lands on the topology's nodes, the console is the
         run's log (\`cxl-bench runs log RUN --console\`); same as \`cxl-bench run --target qemu …\`
  qemu topologies [--json]
         topologies that match what QEMU 7.2 builds (qemu-single, qemu-interleave2, qemu-switch4, qemu-hb2)
  qemu capture [--topology NAME|FILE] --out DIR [--region ram|pmem|none]
         boot once and write a fixture directory (reduced trace, console, cxl list JSON, command line, topology)

Default topology: qemu-single. Exit codes: 0 ok/passed, 1 run failed or error, 2 bad usage, no QEMU or no kernel.`;

const wantsHelp = (args: readonly string[]) => args.includes('--help') || args.includes('-h');

/** --topology NAME|FILE → topology or topologyJson (a path that exists is a file). */
function topologyInput(value: string | undefined): { topology?: string; topologyJson?: string } {
  if (value === undefined) return { topology: 'qemu-single' };
  if (isQemuTopologyName(value) || !existsSync(value)) return { topology: value };
  return { topologyJson: readFileSync(value, 'utf8') };
}

const RUN_OPTIONS = {
  topology: { type: 'string' },
  kernel: { type: 'string' },
  qemu: { type: 'string' },
  region: { type: 'string' },
  ways: { type: 'string' },
  granularity: { type: 'string' },
  timeout: { type: 'string' },
  'initrd-extra': { type: 'string' },
  session: { type: 'string' },
  db: { type: 'string' },
  json: { type: 'boolean' },
} as const;

function runOptions(command: string, p: Parsed): Omit<QemuRunApiInput, 'sessionId'> & { initrdExtra?: string } {
  const region = oneOf(command, '--region', str(p, 'region'), ['ram', 'pmem'] as const);
  const ways = int(command, p, 'ways', 1, 16);
  const granularity = int(command, p, 'granularity', 256, 16384);
  const timeoutS = int(command, p, 'timeout', 5, 3600);
  const kernel = str(p, 'kernel');
  const qemu = str(p, 'qemu');
  const extra = str(p, 'initrd-extra');
  return {
    ...topologyInput(str(p, 'topology')),
    ...(kernel ? { kernel: resolve(kernel) } : {}),
    ...(qemu ? { qemu: resolve(qemu) } : {}),
    ...(region ? { region } : {}),
    ...(ways !== undefined ? { ways } : {}),
    ...(granularity !== undefined ? { granularity } : {}),
    ...(timeoutS !== undefined ? { timeoutS } : {}),
    ...(extra ? { initrdExtra: resolve(extra) } : {}),
  };
}

const usageFrom = (command: string, e: unknown): never => {
  if (e instanceof ApiError && e.code === 'bad-input') throw new UsageError(`${command}: ${e.message.replace(/^qemu\.\w+: /, '')}`);
  throw e;
};

/** `qemu run` / `run --target qemu`. */
export async function qemuRunCommand(args: string[], io: CliIo, command = 'qemu run'): Promise<number> {
  if (wantsHelp(args)) {
    await write(io.stdout, QEMU_USAGE + '\n');
    return EXIT.ok;
  }
  const p = parse(command, args, RUN_OPTIONS, { min: 0, max: 0, names: '' });
  const opts = runOptions(command, p);
  const services = await createServices({ dbPath: str(p, 'db') ?? DEFAULT_DB });
  const bar = new ProgressBar(io.stderr);
  let runId = -1;
  const off = services.hub.subscribe((e) => {
    if (e.type === 'run.progress' && e.runId === runId) {
      bar.update(e.done, e.total, `guest: ${e.phase}`);
      if (!io.stderr.isTTY) void write(io.stderr, `${command}: stage ${e.phase}\n`);
    }
  });
  try {
    const name = str(p, 'session') ?? 'cli';
    const session = services.store.sessions.findByName(name) ?? services.store.sessions.create(name);
    let run;
    try {
      const { initrdExtra, ...api } = opts;
      // The API has no initrd-extra (a path on the serving machine); the CLI passes it to the service directly.
      run = initrdExtra ? services.qemu.start({ ...api, sessionId: session.id, initrdExtra }) : await callApi(services, 'qemu.run', { ...api, sessionId: session.id });
    } catch (e) {
      usageFrom(command, e);
    }
    runId = run!.id;
    await services.qemu.wait(runId);
    bar.clear();
    const detail = await callApi(services, 'runs.get', { id: runId });
    await write(io.stdout, p.values.json ? JSON.stringify(detail) + '\n' : runText(detail) + `\n  console: cxl-bench runs log ${runId} --console${str(p, 'db') ? ` --db ${str(p, 'db')}` : ''}\n`);
    return detail.status === 'passed' ? EXIT.ok : EXIT.failed;
  } finally {
    off();
    bar.clear();
    await services.close();
  }
}

export async function qemuCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    await write(sub === undefined ? io.stderr : io.stdout, QEMU_USAGE + '\n');
    return sub === undefined ? EXIT.usage : EXIT.ok;
  }
  if (wantsHelp(rest)) {
    await write(io.stdout, QEMU_USAGE + '\n');
    return EXIT.ok;
  }
  switch (sub) {
    case 'doctor': {
      const p = parse('qemu doctor', rest, { kernel: { type: 'string' }, qemu: { type: 'string' }, json: { type: 'boolean' } }, { min: 0, max: 0, names: '' });
      const r = qemuDoctor({ ...(str(p, 'kernel') ? { kernel: resolve(str(p, 'kernel')!) } : {}), ...(str(p, 'qemu') ? { qemu: resolve(str(p, 'qemu')!) } : {}) });
      if (p.values.json) await write(io.stdout, JSON.stringify(r) + '\n');
      else {
        const lines = r.findings.map((f) => `${f.ok ? 'ok     ' : f.required ? 'MISSING' : 'missing'}  ${f.what.padEnd(7)}  ${f.detail}${f.fix ? `\n                    get it: ${f.fix}` : ''}`);
        lines.push(r.ok ? 'QEMU + Linux runs can start here.' : 'QEMU + Linux runs cannot start here until the MISSING items are installed.');
        await write(io.stdout, lines.join('\n') + '\n');
      }
      return r.ok ? EXIT.ok : EXIT.usage;
    }
    case 'cmdline': {
      const p = parse('qemu cmdline', rest, { topology: { type: 'string' }, kernel: { type: 'string' }, qemu: { type: 'string' }, region: { type: 'string' }, ways: { type: 'string' }, granularity: { type: 'string' }, db: { type: 'string' }, json: { type: 'boolean' } }, { min: 0, max: 1, names: 'TOPOLOGY' });
      if (p.positionals[0] && str(p, 'topology')) throw new UsageError('qemu cmdline: give the topology once (positional or --topology)');
      if (p.positionals[0]) p.values.topology = p.positionals[0];
      const { timeoutS: _t, initrdExtra: _x, ...opts } = runOptions('qemu cmdline', p);
      const services = await createServices({ dbPath: str(p, 'db') ?? DEFAULT_DB });
      try {
        const r = await callApi(services, 'qemu.cmdline', opts).catch((e) => usageFrom('qemu cmdline', e));
        if (p.values.json) await write(io.stdout, JSON.stringify(r) + '\n');
        else await write(io.stdout, `${r.commandLine}\n${r.warnings.map((w) => `# note: ${w}\n`).join('')}`);
        return EXIT.ok;
      } finally {
        await services.close();
      }
    }
    case 'run':
      return qemuRunCommand(rest, io);
    case 'topologies': {
      const p = parse('qemu topologies', rest, { json: { type: 'boolean' } }, { min: 0, max: 0, names: '' });
      const services = await createServices({ dbPath: ':memory:' });
      try {
        const list = await callApi(services, 'qemu.topologies', {});
        await write(io.stdout, p.values.json ? JSON.stringify(list) + '\n' : list.map((t) => `${t.name.padEnd(18)} ${t.description}`).join('\n') + '\n');
        return EXIT.ok;
      } finally {
        await services.close();
      }
    }
    case 'capture': {
      const p = parse('qemu capture', rest, { topology: { type: 'string' }, out: { type: 'string' }, region: { type: 'string' } }, { min: 0, max: 0, names: '' });
      const out = str(p, 'out');
      if (!out) throw new UsageError('qemu capture: --out DIR is required');
      const region = oneOf('qemu capture', '--region', str(p, 'region'), ['ram', 'pmem', 'none'] as const);
      const t = str(p, 'topology') ?? 'qemu-single';
      const raw = isQemuTopologyName(t) ? QEMU_TOPOLOGIES[t] : existsSync(t) ? JSON.parse(readFileSync(t, 'utf8')) : null;
      if (!raw) throw new UsageError(`qemu capture: --topology: neither a QEMU topology (${Object.keys(QEMU_TOPOLOGIES).join(', ')}) nor a file: ${t}`);
      try {
        const r = await captureFixture(raw, resolve(out), { region: region === 'none' ? null : (region ?? 'pmem'), log: (s) => void write(io.stderr, s + '\n') });
        await write(io.stdout, `${resolve(out)}: ${(r.boot.wallMs / 1000).toFixed(1)} s, trace ${r.traceLines} lines, kept ${r.keptLines} (${dirname(resolve(out))})\n`);
        return EXIT.ok;
      } catch (e) {
        await write(io.stderr, `qemu capture: ${(e as Error).message}\n`);
        return EXIT.failed;
      }
    }
    default:
      throw new UsageError(`qemu: unknown subcommand "${sub}" (expected: doctor, cmdline, run, topologies, capture)`);
  }
}

/** `run --target qemu`: the run command hands over when its only target is the word "qemu". */
export function isQemuTargetRun(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) if ((args[i] === '--target' && args[i + 1] === 'qemu') || args[i] === '--target=qemu') return true;
  return false;
}

export function qemuArgsFromRun(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--target' && args[i + 1] === 'qemu') i++;
    else if (args[i] !== '--target=qemu') out.push(args[i]);
  }
  return out;
}
