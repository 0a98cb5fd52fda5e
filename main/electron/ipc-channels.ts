// The Electron IPC channels between the preload and ipc-binding.ts (DESIGN.md 6). Plain constants and types
// only, so the sandboxed preload can bundle this file without pulling in any service code.
//   renderer -> main   ipcRenderer.invoke(API_CALL_CHANNEL, name, input)  resolves to an IpcReply (never rejects
//                      for API errors: Electron keeps only `message` of a thrown Error, the envelope keeps code/field)
//   main -> renderer   webContents.send(API_EVENT_CHANNEL, ServerEvent)  (bindIpc pushes to every caller)
import type { ApiErrorBody } from '../api/contract.js';

export const API_CALL_CHANNEL = 'cxl-bench:call';
export const API_EVENT_CHANNEL = 'cxl-bench:event';

export type IpcReply = { ok: true; result: unknown } | { ok: false; error: ApiErrorBody };
