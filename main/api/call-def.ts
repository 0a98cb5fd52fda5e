// The shape of an API table entry (DESIGN.md 6): an input schema, the handler, and (by type) the output.
// Each area lists its calls in a calls-*.ts module typed with CallTable; table.ts puts them together.

import type { z } from 'zod';
import type { Services } from '../services/services.js';
import type { ApiInput, ApiName, ApiOutput } from './contract.js';

export interface CallDef<N extends ApiName> {
  input: z.ZodType<ApiInput<N>>;
  handler(s: Services, input: ApiInput<N>): ApiOutput<N> | Promise<ApiOutput<N>>;
}

export type CallTable<K extends ApiName> = { [N in K]: CallDef<N> };
export type ApiTable = CallTable<ApiName>;
