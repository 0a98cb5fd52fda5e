// `cxl-bench sim uartbone --pty [--profile ideal|rev-a] [--baud N] [--paced]` and
// `cxl-bench sim etherbone --tcp PORT [--profile ...]`: simulated silicon (the default topology's Type 3
// endpoint with a silicon profile) for link tests and hardware runs without a board. Prints the link URI to
// give `cxl-bench run --target` / `link test`, then serves until Ctrl-C (SIGINT) or SIGTERM.

import { SIM_PROFILES, startSim, type RunningSim } from '../../main/links/sim-server.js';
import { int, oneOf, parse, str } from '../args.js';
import { write, type CliIo } from '../io.js';
import { EXIT, UsageError } from '../usage.js';

export async function simCommand(args: string[], io: CliIo): Promise<number> {
  const [kind, ...rest] = args;
  if (kind !== 'uartbone' && kind !== 'etherbone')
    throw new UsageError(kind ? `sim: unknown simulator "${kind}" (expected: uartbone, etherbone)` : 'sim: missing simulator (expected: uartbone, etherbone)');
  const p = parse(
    `sim ${kind}`,
    rest,
    { pty: { type: 'boolean' }, tcp: { type: 'string' }, profile: { type: 'string' }, baud: { type: 'string' }, paced: { type: 'boolean' }, json: { type: 'boolean' } },
    { min: 0, max: 0, names: '' },
  );
  const profile = oneOf(`sim ${kind}`, '--profile', str(p, 'profile'), SIM_PROFILES()) ?? 'ideal';
  let sim: RunningSim;
  if (kind === 'uartbone') {
    if (!p.values.pty) throw new UsageError('sim uartbone: --pty is required (the simulator serves one end of a socat pty pair)');
    if (p.values.tcp !== undefined) throw new UsageError('sim uartbone: --tcp is for etherbone');
    const baud = int('sim uartbone', p, 'baud', 300, 12_000_000);
    sim = await startSim({ kind, profile, ...(baud ? { baud } : {}), paced: p.values.paced === true });
  } else {
    if (p.values.pty || p.values.baud !== undefined || p.values.paced) throw new UsageError('sim etherbone: --pty, --baud and --paced are for uartbone');
    const port = int('sim etherbone', p, 'tcp', 0, 65535);
    if (port === undefined) throw new UsageError('sim etherbone: --tcp PORT is required (0 picks a free port)');
    sim = await startSim({ kind, profile, port });
  }
  await write(io.stdout, p.values.json ? JSON.stringify({ uri: sim.uri, where: sim.where, profile }) + '\n' : `${kind} simulator (${profile}) at ${sim.where}\nlink: ${sim.uri}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await sim.close();
  return EXIT.ok;
}
