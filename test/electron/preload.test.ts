// The preload exposes exactly `cxlBench = { call, subscribe }` and maps the IPC envelope to resolve/reject.
import { beforeAll, describe, expect, test, vi } from 'vitest';
import { API_CALL_CHANNEL, API_EVENT_CHANNEL } from '../../main/electron/ipc-channels.js';

const exposed: Record<string, unknown> = {};
const listeners = new Map<string, Set<(...a: unknown[]) => void>>();
const invoke = vi.fn();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: {
    invoke: (...a: unknown[]) => invoke(...a),
    on: (ch: string, l: (...a: unknown[]) => void) => {
      if (!listeners.has(ch)) listeners.set(ch, new Set());
      listeners.get(ch)!.add(l);
    },
    removeListener: (ch: string, l: (...a: unknown[]) => void) => listeners.get(ch)?.delete(l),
  },
}));

interface Bridge {
  call(name: string, input: unknown): Promise<unknown>;
  subscribe(l: (ev: unknown) => void): () => void;
}

describe('preload', () => {
  let api: Bridge;
  beforeAll(async () => {
    await import('../../main/preload/index.js');
    api = exposed['cxlBench'] as Bridge;
  });

  test('exposes only cxlBench, with only call and subscribe', () => {
    expect(Object.keys(exposed)).toEqual(['cxlBench']);
    expect(Object.keys(api).sort()).toEqual(['call', 'subscribe']);
  });

  test('call invokes the API channel and resolves the result of an ok reply', async () => {
    invoke.mockResolvedValueOnce({ ok: true, result: [{ id: 1 }] });
    await expect(api.call('sessions.list', {})).resolves.toEqual([{ id: 1 }]);
    expect(invoke).toHaveBeenLastCalledWith(API_CALL_CHANNEL, 'sessions.list', {});
  });

  test('an error reply rejects with the plain error body (code and field intact)', async () => {
    invoke.mockResolvedValueOnce({ ok: false, error: { code: 'bad-input', message: 'name: required', field: 'name' } });
    await expect(api.call('sessions.create', {})).rejects.toEqual({
      name: 'ApiError', code: 'bad-input', message: 'name: required', field: 'name',
    });
  });

  test('subscribe receives pushed events until unsubscribed', () => {
    const seen: unknown[] = [];
    const off = api.subscribe((ev) => seen.push(ev));
    const push = (ev: unknown) => listeners.get(API_EVENT_CHANNEL)?.forEach((l) => l({}, ev));
    push({ type: 'log' });
    off();
    push({ type: 'log', again: true });
    expect(seen).toEqual([{ type: 'log' }]);
  });
});
