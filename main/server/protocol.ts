// The WebSocket protocol (JSON text frames), shared by the server and the tests / the browser client:
//   client -> server  { "id": number, "call": "sessions.list", "input": {...} }
//   server -> client  { "id": n, "ok": true, "result": ... } | { "id": n, "ok": false, "error": ApiErrorBody }
//   server -> client  { "event": ServerEvent }   (pushed to every connected client)

import type { ApiErrorBody, ServerEvent } from '../api/contract.js';

export interface WsRequest {
  id: number;
  call: string;
  input?: unknown;
}

export type WsResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: ApiErrorBody };

export interface WsPush {
  event: ServerEvent;
}

/** Parse a frame into a request, or an error body saying what is wrong with it (id -1 when unreadable). */
export function parseRequest(text: string): WsRequest | { id: number; error: ApiErrorBody } {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return { id: -1, error: { code: 'bad-input', message: 'frame is not JSON' } };
  }
  if (typeof msg !== 'object' || msg === null) return { id: -1, error: { code: 'bad-input', message: 'frame must be an object' } };
  const m = msg as Record<string, unknown>;
  if (typeof m.id !== 'number' || !Number.isFinite(m.id)) return { id: -1, error: { code: 'bad-input', message: 'id: must be a number', field: 'id' } };
  if (typeof m.call !== 'string') return { id: m.id, error: { code: 'bad-input', message: 'call: must be a string', field: 'call' } };
  return { id: m.id, call: m.call, input: m.input };
}
