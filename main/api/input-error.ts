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
  message = plainMessage(message);
  const field = path || undefined;
  return new ApiError('bad-input', `${call}: ${field ?? 'input'}: ${message}`, field);
}

/**
 * zod's own wording, where a schema gave none, in the words the rest of the API uses (issue 15, finding 12):
 * no validator syntax (`expected one of "cfg"|"mmio"`, `must match pattern /^…/`) reaches a user.
 */
export function plainMessage(m: string): string {
  const oneOf = /^Invalid option: expected one of (.*)$/.exec(m);
  if (oneOf) return `must be one of ${oneOf[1]!.split('|').map((v) => v.replace(/^"|"$/g, '')).filter(Boolean).join(', ')}`;
  if (/^Invalid string: must match pattern/.test(m)) return 'is not in the expected form';
  const type = /^Invalid input: expected (\w+), received (\w+)$/.exec(m);
  if (type) return `must be ${type[1] === 'int' ? 'an integer' : `a ${type[1]}`}, not a ${type[2]}`;
  const big = /^Too big: expected (string|array) to have <=?(\d+) (characters|items)$/.exec(m);
  if (big) return `must be at most ${big[2]} ${big[3]}`;
  const small = /^Too small: expected (string|array) to have >=?(\d+) (characters|items)$/.exec(m);
  if (small) return `must be at least ${small[2]} ${small[3]}`;
  const num = /^Too (big|small): expected number to be ([<>]=?)(-?[\d.]+)$/.exec(m);
  if (num) return `must be ${num[2]!.startsWith('<') ? 'at most' : 'at least'} ${num[3]}`;
  return m;
}
