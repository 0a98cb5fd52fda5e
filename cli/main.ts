// The `cxl-bench` command line (DESIGN.md 6): dispatch, one-line errors, exit codes for CI.

import { compareCommand } from './commands/compare.js';
import { cxlListCommand } from './commands/cxl-list.js';
import { decodeCommand } from './commands/decode.js';
import { labelsCommand } from './commands/labels.js';
import { regionCommand } from './commands/region.js';
import { demoCommand } from './commands/demo.js';
import { importCommand } from './commands/import-trace.js';
import { injectCommand } from './commands/inject.js';
import { labCommand } from './commands/lab.js';
import { linkCommand } from './commands/link.js';
import { mailboxCommand } from './commands/mailbox.js';
import { regsCommand } from './commands/regs.js';
import { qemuCompareCommand, replayCommand } from './commands/replay.js';
import { runCommand } from './commands/run.js';
import { qemuCommand } from './commands/qemu.js';
import { kernelsCommand } from './commands/kernel-matrix.js';
import { fidelityCommand } from './commands/fidelity.js';
import { runsCommand } from './commands/runs-list.js';
import { serveCommand } from './commands/serve.js';
import { simCommand } from './commands/sim.js';
import { sessionCommand } from './commands/session-transfer.js';
import { topologyCommand } from './commands/topology.js';
import { traceCommand } from './commands/trace-export.js';
import { appVersion } from '../main/services/app-version.js';
import { loadMigrations } from '../main/store/migrate.js';
import { processIo, write, type CliIo } from './io.js';
import { EXIT, USAGE, UsageError } from './usage.js';

type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  demo: demoCommand,
  serve: serveCommand,
  runs: runsCommand,
  trace: traceCommand,
  compare: compareCommand,
  session: sessionCommand,
  regs: regsCommand,
  run: runCommand,
  topology: topologyCommand,
  mailbox: mailboxCommand,
  inject: injectCommand,
  import: importCommand,
  link: linkCommand,
  sim: simCommand,
  replay: replayCommand,
  'qemu-compare': qemuCompareCommand,
  lab: labCommand,
  qemu: qemuCommand,
  kernels: kernelsCommand,
  region: regionCommand,
  'cxl-list': cxlListCommand,
  decode: decodeCommand,
  labels: labelsCommand,
  fidelity: fidelityCommand,
};

/** Runs one command line; returns the exit code. Never throws. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    await write(cmd === undefined ? io.stderr : io.stdout, USAGE + '\n');
    return cmd === undefined ? EXIT.usage : EXIT.ok;
  }
  if (cmd === '--version' || cmd === '-V' || cmd === 'version') {
    await write(io.stdout, versionText());
    return EXIT.ok;
  }
  const run = Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
  try {
    if (!run) throw new UsageError(`unknown command "${cmd}" (try: ${Object.keys(COMMANDS).join(', ')})`);
    return await run(rest, io);
  } catch (e) {
    const usage = e instanceof UsageError;
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    await write(io.stderr, `cxl-bench: ${msg}\n`);
    return usage ? EXIT.usage : EXIT.failed;
  }
}

/** `cxl-bench --version`: the release, then what it runs on and the newest database schema it writes. */
export function versionText(): string {
  const { name, version } = appVersion();
  const migrations = loadMigrations();
  const schema = migrations.length ? migrations[migrations.length - 1].version : 0;
  return `${name} ${version}\nnode ${process.versions.node}, database schema ${schema}\n`;
}
