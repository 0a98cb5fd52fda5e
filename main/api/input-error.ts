// A zod validation failure as an ApiError naming the bad field: "sessions.rename: name: must be 1-200
// characters". The first issue is reported (the UI highlights one field at a time).

import type { z } from 'zod';
import { ApiError } from './api-error.js';

export function inputError(call: string, err: z.ZodError): ApiError {
  const issue = err.issues[0];
  let path = issue?.path.map(String).join('.') ?? '';
  let message = issue?.message ?? 'invalid input';
  if (issue?.code === 'unrecognized_keys') {
    const keys = (issue as { keys: string[] }).keys;
    path = [path, keys[0]].filter(Boolean).join('.');
    message = 'unknown field';
  }
  const field = path || undefined;
  return new ApiError('bad-input', `${call}: ${field ?? 'input'}: ${message}`, field);
}
