// Where commands write, so tests can run them in-process; writes wait for a full pipe to drain.

import type { Writable } from 'node:stream';

export interface CliIo {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean; columns?: number };
}

export const processIo = (): CliIo => ({ stdout: process.stdout, stderr: process.stderr });

/** Write and, when the stream buffers past its high-water mark, wait for it to drain. */
export async function write(out: Writable, s: string): Promise<void> {
  if (!out.write(s)) await new Promise<void>((r) => out.once('drain', () => r()));
}

/** Modules exporting extra SEQUENCES, from $CXL_BENCH_SEQUENCE_MODULES (comma-separated file URLs). */
export const envSequenceModules = (): string[] =>
  (process.env.CXL_BENCH_SEQUENCE_MODULES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
