// Argument parsing on node:util parseArgs (strict: unknown options are usage errors), plus typed getters.

import { defaultDbPath } from '../main/services/bench-defaults.js';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parse(command: string, args: string[], options: Options, positionals: { min: number; max: number; names: string }): Parsed {
  let r: Parsed;
  try {
    r = parseArgs({ args, options, allowPositionals: true, strict: true }) as Parsed;
  } catch (e) {
    throw new UsageError(`${command}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (r.positionals.length < positionals.min) throw new UsageError(`${command}: missing ${positionals.names}`);
  if (r.positionals.length > positionals.max) throw new UsageError(`${command}: unexpected argument "${r.positionals[positionals.max]}"`);
  return r;
}

export const str = (p: Parsed, name: string): string | undefined => p.values[name] as string | undefined;

export function int(command: string, p: Parsed, name: string, min: number, max: number): number | undefined {
  const s = str(p, name);
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${command}: --${name} must be an integer ${min}-${max}, got "${s}"`);
  return n;
}

export function oneOf<T extends string>(command: string, what: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${command}: ${what} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

/** The database every command opens without --db: the one the UI uses too (main/services/bench-defaults.ts). */
export const DEFAULT_DB = defaultDbPath();
