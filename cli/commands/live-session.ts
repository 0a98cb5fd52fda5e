// A live bench for one CLI command (`mailbox`, `inject`): services on the database, the 'cli' session, a live
// platform on the named topology — so what the command does is recorded in a console run like the UI's — and
// closed again afterwards. API errors on the user's input become usage errors (exit 2) naming the field.

import { topologyArg } from './topology-arg.js';
import { ApiError } from '../../main/api/api-error.js';
import type { ApiInput, ApiName, ApiOutput, LiveBench } from '../../main/api/contract.js';
import { callApi } from '../../main/api/table.js';
import { createServices, type Services } from '../../main/services/services.js';
import { UsageError } from '../usage.js';

export const CLI_SESSION = 'cli';

export interface LiveCli {
  services: Services;
  bench: LiveBench;
  /** callApi, with bad input (and unknown nodes/blocks) turned into a UsageError for `command`. */
  call<N extends ApiName>(name: N, input: ApiInput<N>): Promise<ApiOutput<N>>;
}

export async function apiForCli<N extends ApiName>(command: string, services: Services, name: N, input: ApiInput<N>): Promise<ApiOutput<N>> {
  try {
    return await callApi(services, name, input);
  } catch (e) {
    if (e instanceof ApiError && (e.code === 'bad-input' || e.code === 'not-found'))
      throw new UsageError(`${command}: ${e.message.replace(/^[a-z]+\.[a-zA-Z]+: /, '')}`);
    throw e;
  }
}

/** `topology`: a built-in or saved name, or a topology file (its JSON goes to live.open as topologyJson). */
export async function withLiveBench<T>(command: string, dbPath: string, topology: string, fn: (live: LiveCli) => Promise<T>): Promise<T> {
  const services = await createServices({ dbPath });
  try {
    const session = services.store.sessions.findByName(CLI_SESSION) ?? services.store.sessions.create(CLI_SESSION);
    const arg = topologyArg(command, services, topology);
    const bench = await apiForCli(command, services, 'live.open', {
      sessionId: session.id,
      ...(arg.topologyJson !== undefined ? { topologyJson: arg.topologyJson } : { topology }),
    });
    try {
      return await fn({ services, bench, call: (name, input) => apiForCli(command, services, name, input) });
    } finally {
      services.live.close(session.id);
    }
  } finally {
    await services.close();
  }
}
