// The error every API call fails with; crosses both bindings as its ApiErrorBody (contract.ts).

import { OutputError } from '../store/file-output.js';
import { storageProblem } from '../store/storage-error.js';
import type { ApiErrorBody } from './contract.js';

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorBody['code'],
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get body(): ApiErrorBody {
    return this.field === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, field: this.field };
  }
}

/**
 * Any thrown value as the body a client receives (internal errors keep their message, never a stack). What the
 * disk refused (full, read-only, permissions: storage-error.ts) is code 'storage' with the reason named.
 */
export function toErrorBody(e: unknown): ApiErrorBody {
  if (e instanceof ApiError) return e.body;
  if (e instanceof OutputError) return { code: 'storage', message: e.message };
  const storage = storageProblem(e);
  if (storage) return { code: 'storage', message: storage };
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}
