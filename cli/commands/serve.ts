// `cxl-bench serve`: the API over WebSocket and the browser UI, on 127.0.0.1 by default, until interrupted.
// Another address only with --allow-remote, and then with a warning: the bench answers everyone who reaches the
// port and holds a session, over unencrypted HTTP (README: SSH tunnel or a TLS proxy instead).

import { createServices } from '../../main/services/services.js';
import { isLoopbackHost } from '../../main/server/host-policy.js';
import { startServer } from '../../main/server/ws-server.js';
import { DEFAULT_DB, int, parse, str } from '../args.js';
import { defaultPort } from '../../main/services/bench-defaults.js';
import { envSequenceModules, write, type CliIo } from '../io.js';
import { EXIT, UsageError } from '../usage.js';

export async function serveCommand(args: string[], io: CliIo): Promise<number> {
  const p = parse(
    'serve',
    args,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      static: { type: 'string' },
      'allow-remote': { type: 'boolean' },
      'allow-host': { type: 'string', multiple: true },
    },
    { min: 0, max: 0, names: '' },
  );
  const port = int('serve', p, 'port', 0, 65535) ?? defaultPort();
  const host = str(p, 'host') ?? '127.0.0.1';
  const allowRemote = p.values['allow-remote'] === true;
  if (!isLoopbackHost(host) && !allowRemote)
    throw new UsageError(`serve: --host ${host} is not a loopback address; add --allow-remote to serve other machines (read the README's "Serving beyond this machine" first)`);
  const allowHosts = (p.values['allow-host'] as unknown as string[] | undefined) ?? [];
  const services = await createServices({ dbPath: str(p, 'db') ?? DEFAULT_DB, shell: 'browser', sequenceModules: envSequenceModules() });
  const server = await startServer({
    services,
    host,
    port,
    allowRemote,
    allowHosts,
    staticDir: str(p, 'static'),
    log: (line) => void write(io.stderr, `cxl-bench serve: ${line}\n`),
  });
  if (!isLoopbackHost(host))
    await write(
      io.stderr,
      `cxl-bench serve: WARNING: serving on ${host}: anyone who can reach port ${server.port} may try to sign in, and HTTP is not encrypted ` +
        `(session cookies and traces cross the network in clear). Prefer an SSH tunnel or a TLS proxy (README).\n`,
    );
  await write(io.stdout, `cxl-bench serving ${services.store.path}\n${server.url}\n`);
  // Each link signs in one browser; at a terminal, Enter prints another.
  const interactive = process.stdin.isTTY === true;
  const onLine = (): void => void write(io.stdout, `${server.newLaunchUrl()}\n`);
  if (interactive) {
    await write(io.stderr, 'cxl-bench serve: the link works once (it signs in one browser); press Enter for another\n');
    process.stdin.on('data', onLine);
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  if (interactive) {
    process.stdin.off('data', onLine);
    process.stdin.pause();
  }
  await server.close();
  await services.close();
  return EXIT.ok;
}
