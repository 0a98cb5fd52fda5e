// The Electron IPC binding of the API table (DESIGN.md 6): one `ipcMain.handle('api', ...)` channel that
// checks the sender frame is ours, validates and dispatches through the same `callApi` as the WebSocket
// binding, and forwards ServerEvents to the renderer as 'api-event'. Errors cross as { ok: false, error }
// values (not thrown) so the renderer receives the ApiErrorBody intact rather than Electron's wrapped message.

import type { IpcMain, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import { toErrorBody } from '../api/api-error.js';
import type { ApiErrorBody, ServerEvent } from '../api/contract.js';
import { callApi } from '../api/table.js';
import type { Services } from '../services/services.js';

export const API_CHANNEL = 'api';
export const EVENT_CHANNEL = 'api-event';

export type IpcReply = { ok: true; result: unknown } | { ok: false; error: ApiErrorBody };

/** Decides whether a sender frame may call the API (e.g. its URL is the app's own file:// or dev server). */
export type TrustedSender = (frame: WebFrameMain | null, sender: WebContents) => boolean;

/**
 * Register the API on `ipcMain`. Every WebContents that has called at least once receives ServerEvents until
 * it is destroyed. Returns a function that unregisters everything.
 */
export function bindIpc(ipcMain: IpcMain, services: Services, isTrustedSender: TrustedSender): () => void {
  const subscribers = new Set<WebContents>();

  ipcMain.handle(API_CHANNEL, async (ev: IpcMainInvokeEvent, name: unknown, input: unknown): Promise<IpcReply> => {
    if (!isTrustedSender(ev.senderFrame, ev.sender)) {
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
    for (const wc of subscribers) if (!wc.isDestroyed()) wc.send(EVENT_CHANNEL, event);
  });

  return () => {
    unsubscribe();
    ipcMain.removeHandler(API_CHANNEL);
    subscribers.clear();
  };
}

/** A TrustedSender accepting frames whose URL starts with one of `origins` (file://..., http://localhost:5173). */
export const trustOrigins =
  (...origins: string[]): TrustedSender =>
  (frame) =>
    !!frame && origins.some((o) => frame.url.startsWith(o));
