// The one BenchApi the UI talks to: the preload's `window.cxlBench` inside Electron, otherwise the WebSocket
// binding of the page's own server (DESIGN.md 6). Nothing else in the renderer reaches the services.
import type { BenchApi } from '../../../main/api/contract.js';
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

export function connectBenchApi(onState: (s: ConnectionState) => void): ConnectedApi {
  if (window.cxlBench) {
    onState('open');
    return { api: window.cxlBench, shell: 'electron' };
  }
  const api = createWsClient({ url: apiUrlFromLocation(window.location), onState });
  return { api, shell: 'browser' };
}
