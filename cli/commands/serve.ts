// `cxl-bench serve`: the API over WebSocket and the browser UI, on 127.0.0.1 by default, until interrupted.

import { createServices } from '../../main/services/services.js';
import { startServer } from '../../main/server/ws-server.js';
import { DEFAULT_DB, int, parse, str } from '../args.js';
import { envSequenceModules, write, type CliIo } from '../io.js';
import { EXIT } from '../usage.js';

export async function serveCommand(args: string[], io: CliIo): Promise<number> {
  const p = parse('serve', args, { port: { type: 'string' }, host: { type: 'string' }, db: { type: 'string' }, static: { type: 'string' } }, { min: 0, max: 0, names: '' });
  const port = int('serve', p, 'port', 0, 65535) ?? 0;
  const services = await createServices({ dbPath: str(p, 'db') ?? DEFAULT_DB, shell: 'browser', sequenceModules: envSequenceModules() });
  const server = await startServer({ services, host: str(p, 'host') ?? '127.0.0.1', port, staticDir: str(p, 'static') });
  await write(io.stdout, `cxl-bench serving ${services.store.path}\n${server.url}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  await services.close();
  return EXIT.ok;
}
