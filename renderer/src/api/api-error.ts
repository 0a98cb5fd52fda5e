// An API failure as a value the UI can show: the server's code, its message, and the input field at fault.
import type { ApiErrorBody } from '../../../main/api/contract.js';

export class ApiError extends Error {
  readonly code: ApiErrorBody['code'] | 'disconnected' | 'unauthorised';
  readonly field: string | undefined;

  constructor(body: { code: ApiError['code']; message: string; field?: string }) {
    super(body.message);
    this.name = 'ApiError';
    this.code = body.code;
    this.field = body.field;
  }
}

/** A short line for the status bar from whatever a call rejected with. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) return err.field ? `${err.code}: ${err.message} (${err.field})` : `${err.code}: ${err.message}`;
  if (err instanceof Error) return err.message;
  return String(err);
}
