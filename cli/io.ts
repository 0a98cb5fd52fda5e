// Where commands write, so tests can run them in-process; writes wait for a full pipe to drain.

import type { Writable } from 'node:stream';

export interface CliIo {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean; columns?: number };
}

export const processIo = (): CliIo => ({ stdout: process.stdout, stderr: process.stderr });

/**
 * Control characters other than newline and tab (C0, DEL, C1) and the bidirectional overrides, which a name,
 * a summary or an imported field could carry to the terminal (cursor moves, colour, OSC titles, reordered text).
 */
const UNSAFE_FOR_TERMINAL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `s` with every unsafe character as a \uXXXX escape (valid inside JSON strings too, so --json output still parses). */
export const terminalSafe = (s: string): string => s.replace(UNSAFE_FOR_TERMINAL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Write (terminal-safe) and, when the stream buffers past its high-water mark, wait for it to drain. */
export async function write(out: Writable, s: string): Promise<void> {
  if (!out.write(terminalSafe(s))) await new Promise<void>((r) => out.once('drain', () => r()));
}

/** Modules exporting extra SEQUENCES, from $CXL_BENCH_SEQUENCE_MODULES (comma-separated file URLs). */
export const envSequenceModules = (): string[] =>
  (process.env.CXL_BENCH_SEQUENCE_MODULES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
