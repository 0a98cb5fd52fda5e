// The API table (DESIGN.md 6): every call the renderer (or a script) can make, with its input schema, output
// type (contract.ts) and handler, put together from each area's calls-*.ts. Both bindings — Electron IPC and
// WebSocket — the CLI and the tests go through `callApi`, which validates before any handler runs, so a bad
// payload writes nothing. ApiTable's type makes a call missing from the table a compile error.

import { ApiError, toErrorBody } from './api-error.js';
import type { ApiTable, CallDef } from './call-def.js';
import { COMPARE_CALLS } from './calls-compare.js';
import { CORE_CALLS } from './calls-core.js';
import { LAB_CALLS } from './calls-lab.js';
import { KERNEL_CALLS } from './calls-kernels.js';
import { LINK_CALLS } from './calls-links.js';
import { LIVE_CALLS } from './calls-live.js';
import { QEMU_CALLS } from './calls-qemu.js';
import { REGIONS_CALLS } from './calls-regions.js';
import { REPLAY_CALLS } from './calls-replay.js';
import { TOPOLOGY_CALLS } from './calls-topologies.js';
import { TRACE_CALLS } from './calls-trace.js';
import { TRANSFER_CALLS } from './calls-transfer.js';
import { UI_CALLS } from './calls-ui.js';
import type { ApiName, ApiOutput } from './contract.js';
import { inputError } from './input-error.js';
import type { Services } from '../services/services.js';

export type { ApiTable, CallDef } from './call-def.js';

export const API: ApiTable = {
  ...CORE_CALLS,
  ...COMPARE_CALLS,
  // Trace export/import (calls-trace.ts), hardware links (calls-links.ts), the live bench (calls-live.ts).
  ...TRACE_CALLS,
  ...LINK_CALLS,
  ...LIVE_CALLS,
  ...REPLAY_CALLS,
  ...TOPOLOGY_CALLS,
  ...LAB_CALLS,
  ...QEMU_CALLS,
  ...REGIONS_CALLS,
  ...KERNEL_CALLS,
  ...UI_CALLS,
  ...TRANSFER_CALLS,
};

export const API_NAMES = Object.keys(API) as ApiName[];

export const isApiName = (n: unknown): n is ApiName => typeof n === 'string' && Object.hasOwn(API, n);

/**
 * Validate `rawInput` against the call's schema and run its handler. Throws ApiError: 'not-found' for an
 * unknown call, 'bad-input' naming the field, or the handler's own; what the disk refused becomes 'storage'
 * (api-error.ts toErrorBody); anything else 'internal'.
 */
export async function callApi<N extends ApiName>(services: Services, name: N, rawInput: unknown): Promise<ApiOutput<N>>;
export async function callApi(services: Services, name: string, rawInput: unknown): Promise<unknown>;
export async function callApi(services: Services, name: string, rawInput: unknown): Promise<unknown> {
  if (!isApiName(name)) throw new ApiError('not-found', `unknown call "${String(name)}"`);
  const def = API[name] as CallDef<ApiName>;
  const parsed = def.input.safeParse(rawInput ?? {});
  if (!parsed.success) throw inputError(name, parsed.error);
  try {
    return await def.handler(services, parsed.data as never);
  } catch (e) {
    if (e instanceof ApiError) throw e;
    const body = toErrorBody(e);
    throw new ApiError(body.code === 'storage' ? 'storage' : 'internal', `${name}: ${body.message}`);
  }
}
