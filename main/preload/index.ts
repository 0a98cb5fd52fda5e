// The preload (sandboxed, CommonJS): exposes exactly `window.cxlBench = { call, subscribe }` (BenchApi) and
// nothing else (DESIGN.md 6). API errors arrive as an IpcReply envelope and are rejected as plain
// { name, code, message, field } objects, which survive the context bridge intact (Error objects lose fields).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ServerEvent } from '../api/contract.js';
import { API_CALL_CHANNEL, API_EVENT_CHANNEL, type IpcReply } from '../electron/ipc-channels.js';

async function call(name: string, input: unknown): Promise<unknown> {
  if (typeof name !== 'string') throw { name: 'ApiError', code: 'bad-input', message: 'call name must be a string', field: 'call' };
  const reply = (await ipcRenderer.invoke(API_CALL_CHANNEL, name, input)) as IpcReply;
  if (reply.ok) return reply.result;
  throw { name: 'ApiError', ...reply.error };
}

function subscribe(listener: (ev: ServerEvent) => void): () => void {
  if (typeof listener !== 'function') throw new TypeError('subscribe needs a function');
  const handler = (_e: IpcRendererEvent, ev: ServerEvent) => listener(ev);
  ipcRenderer.on(API_EVENT_CHANNEL, handler);
  return () => {
    ipcRenderer.removeListener(API_EVENT_CHANNEL, handler);
  };
}

contextBridge.exposeInMainWorld('cxlBench', { call, subscribe });
