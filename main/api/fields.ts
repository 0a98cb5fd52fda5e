// Input field schemas shared by the calls-*.ts modules, each with the message a user can act on.

import { z } from 'zod';
import type { TraceFilter } from './contract.js';

export const id = z.int({ error: 'must be a positive integer' }).positive({ error: 'must be a positive integer' });
export const offset = z.int({ error: 'must be an integer >= 0' }).min(0, { error: 'must be an integer >= 0' });
export const limit = (max: number) =>
  z.int({ error: `must be an integer 1-${max}` }).min(1, { error: `must be an integer 1-${max}` }).max(max, { error: `must be an integer 1-${max}` });
export const name = z
  .string({ error: 'must be 1-200 characters' })
  .trim()
  .min(1, { error: 'must be 1-200 characters' })
  .max(200, { error: 'must be 1-200 characters' });
export const slug = z.string({ error: 'must be a name' }).min(1, { error: 'must be a name' }).max(100, { error: 'must be a name' });
export const none = z.strictObject({}) as unknown as z.ZodType<Record<string, never>>;
export const traceFilter: z.ZodType<TraceFilter> = z.strictObject({
  node: z.string().max(200).optional(),
  space: z.enum(['cfg', 'mmio', 'mem', ''], { error: 'must be cfg, mmio or mem' }).optional(),
  op: z.enum(['R', 'W'], { error: 'must be R or W' }).optional(),
  status: z.string().max(50).optional(),
  text: z.string().max(200).optional(),
});
