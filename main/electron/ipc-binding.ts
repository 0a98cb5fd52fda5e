// The Electron IPC binding of the API table (DESIGN.md 6): one `ipcMain.handle` channel (ipc-channels.ts) that
// checks the sender frame is ours, validates and dispatches through the same `callApi` as the WebSocket
// binding, and forwards ServerEvents to the renderer on API_EVENT_CHANNEL. Errors cross as { ok: false, error }
// values (not thrown) so the renderer receives the ApiErrorBody intact rather than Electron's wrapped message.

import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { toErrorBody } from '../api/api-error.js';
import type { ServerEvent } from '../api/contract.js';
import { callApi } from '../api/table.js';
import type { Services } from '../services/services.js';
import { API_CALL_CHANNEL, API_EVENT_CHANNEL, type IpcReply } from './ipc-channels.js';

/** Decides whether the invoking frame may call the API (trusted-sender.ts `trustedSenderCheck` fits). */
export type TrustedSender = (ev: IpcMainInvokeEvent) => boolean;

/**
 * Register the API on `ipcMain`. Every WebContents that has called at least once receives ServerEvents until
 * it is destroyed. Returns a function that unregisters everything.
 */
export function bindIpc(ipcMain: IpcMain, services: Services, isTrustedSender: TrustedSender): () => void {
  const subscribers = new Set<WebContents>();

  ipcMain.handle(API_CALL_CHANNEL, async (ev: IpcMainInvokeEvent, name: unknown, input: unknown): Promise<IpcReply> => {
    if (!isTrustedSender(ev)) {
      return { ok: false, error: { code: 'bad-input', message: 'untrusted sender frame' } };
    }
    if (!subscribers.has(ev.sender)) {
      subscribers.add(ev.sender);
      ev.sender.once('destroyed', () => subscribers.delete(ev.sender));
    }
    try {
      return { ok: true, result: await callApi(services, String(name), input) };
    } catch (e) {
      return { ok: false, error: toErrorBody(e) };
    }
  });

  const unsubscribe = services.hub.subscribe((event: ServerEvent) => {
    for (const wc of subscribers) if (!wc.isDestroyed()) wc.send(API_EVENT_CHANNEL, event);
  });

  return () => {
    unsubscribe();
    ipcMain.removeHandler(API_CALL_CHANNEL);
    subscribers.clear();
  };
}
