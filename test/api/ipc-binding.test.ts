import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerEvent } from '../../main/api/contract.js';
import { bindIpc } from '../../main/electron/ipc-binding.js';
import { API_CALL_CHANNEL, API_EVENT_CHANNEL, type IpcReply } from '../../main/electron/ipc-channels.js';
import { tempServices } from './helpers.js';

/** Just enough of ipcMain and a WebContents to drive the binding without Electron. */
function fakes() {
  const handlers = new Map<string, (ev: IpcMainInvokeEvent, ...args: unknown[]) => Promise<IpcReply>>();
  const ipcMain = {
    handle: (ch: string, fn: never) => handlers.set(ch, fn),
    removeHandler: (ch: string) => handlers.delete(ch),
  } as unknown as IpcMain;
  const sent: [string, ServerEvent][] = [];
  let destroyed: (() => void) | undefined;
  const sender = {
    send: (ch: string, ev: ServerEvent) => sent.push([ch, ev]),
    isDestroyed: () => false,
    once: (_: 'destroyed', fn: () => void) => (destroyed = fn),
  } as unknown as WebContents;
  const event = (url: string) => ({ sender, senderFrame: { url, parent: null } }) as unknown as IpcMainInvokeEvent;
  return { ipcMain, handlers, sent, event, destroy: () => destroyed?.() };
}

let env: Awaited<ReturnType<typeof tempServices>>;
beforeAll(async () => {
  env = await tempServices();
});
afterAll(() => env.dispose());

describe('Electron IPC binding', () => {
  it('answers trusted frames through the API table, refuses others, and forwards events to callers', async () => {
    const f = fakes();
    const unbind = bindIpc(f.ipcMain, env.services, (ev) => ev.senderFrame?.url.startsWith('file:///app/') ?? false);
    const invoke = f.handlers.get(API_CALL_CHANNEL)!;

    const refused = await invoke(f.event('https://evil.example/'), 'sessions.list', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad-input', message: 'untrusted sender frame' } });

    const created = await invoke(f.event('file:///app/index.html'), 'sessions.create', { name: 'ipc' });
    expect(created).toMatchObject({ ok: true, result: { name: 'ipc' } });
    const bad = await invoke(f.event('file:///app/index.html'), 'sessions.create', { name: '' });
    expect(bad).toEqual({ ok: false, error: { code: 'bad-input', message: 'sessions.create: name: must be 1-200 characters', field: 'name' } });

    env.services.log('info', 'hello renderer');
    expect(f.sent.map(([ch, ev]) => [ch, ev.type === 'log' ? ev.row.message : ev.type])).toEqual([[API_EVENT_CHANNEL, 'hello renderer']]);

    // A destroyed renderer stops receiving; unbinding removes the handler.
    f.destroy();
    env.services.log('info', 'nobody listens');
    expect(f.sent).toHaveLength(1);
    unbind();
    expect(f.handlers.has(API_CALL_CHANNEL)).toBe(false);
  });
});
