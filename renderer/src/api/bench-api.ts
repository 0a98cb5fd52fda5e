// The one BenchApi the UI talks to: the preload's `window.cxlBench` inside Electron, otherwise the WebSocket
// binding of the page's own server (DESIGN.md 6). Nothing else in the renderer reaches the services.
import type { ApiInput, ApiName, ApiOutput, BenchApi } from '../../../main/api/contract.js';
import { ApiError } from './api-error.js';
import { apiUrlFromLocation, createWsClient, type ConnectionState } from './ws-client.js';

declare global {
  interface Window {
    cxlBench?: BenchApi;
  }
}

export interface ConnectedApi {
  api: BenchApi;
  shell: 'electron' | 'browser';
}

/** The preload rejects with a plain { code, message, field } (Error fields do not cross the bridge). */
export function fromPreload(bridge: BenchApi): BenchApi {
  return {
    async call<N extends ApiName>(name: N, input: ApiInput<N>): Promise<ApiOutput<N>> {
      try {
        return await bridge.call(name, input);
      } catch (e) {
        const body = e as { code?: unknown; message?: unknown; field?: unknown } | null;
        if (body && typeof body.code === 'string' && typeof body.message === 'string') {
          throw new ApiError({
            code: body.code as ApiError['code'],
            message: body.message,
            ...(typeof body.field === 'string' ? { field: body.field } : {}),
          });
        }
        throw e;
      }
    },
    subscribe: (listener) => bridge.subscribe(listener),
  };
}

export function connectBenchApi(onState: (s: ConnectionState) => void): ConnectedApi {
  if (window.cxlBench) {
    onState('open');
    return { api: fromPreload(window.cxlBench), shell: 'electron' };
  }
  const api = createWsClient({ url: apiUrlFromLocation(window.location), onState });
  return { api, shell: 'browser' };
}
