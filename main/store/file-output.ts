// Files the bench writes for the user (trace exports, session files) appear whole or not at all: written to a
// temporary name beside the target and renamed when complete; on any failure the temporary file is removed and
// an OutputError names the file and the reason (disk full, read-only, permissions). A stream's 'error' always
// has a listener here, so a refusing disk rejects a promise instead of killing the process (issue 16).

import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { errorReason } from './storage-error.js';

export class OutputError extends Error {
  readonly code: string | undefined;
  constructor(
    readonly path: string,
    override readonly cause: unknown,
  ) {
    super(`cannot write ${path}: ${errorReason(cause)}; nothing was written`);
    this.name = 'OutputError';
    const c = (cause as { code?: unknown } | null)?.code;
    this.code = typeof c === 'string' ? c : undefined;
  }
}

/** The temporary name `path` is built under (same folder, so the rename stays on one file system). */
export const partialPath = (path: string): string => join(dirname(path), `.${basename(path)}.partial-${process.pid}`);

/** Remove a file and the -wal/-shm SQLite may have left beside it. */
export function removeWithSidecars(path: string): void {
  for (const p of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) rmSync(p, { force: true });
}

/** Build `path` with `fill` on a temporary file, then rename; returns what `fill` returned. */
export async function writeFileWhole<T>(path: string, fill: (tmp: string) => T | Promise<T>): Promise<T> {
  const tmp = partialPath(path);
  try {
    const r = await fill(tmp);
    renameSync(tmp, path);
    return r;
  } catch (e) {
    removeWithSidecars(tmp);
    throw e instanceof OutputError ? e : new OutputError(path, e);
  }
}

/** writeFileWhole for synchronous work (SQLite). */
export function writeFileWholeSync<T>(path: string, fill: (tmp: string) => T): T {
  const tmp = partialPath(path);
  try {
    const r = fill(tmp);
    renameSync(tmp, path);
    return r;
  } catch (e) {
    removeWithSidecars(tmp);
    throw e instanceof OutputError ? e : new OutputError(path, e);
  }
}

/** A file stream whose errors reject `finished()` rather than going unheard. */
export function fileStream(path: string): { out: Writable; finished(): Promise<void> } {
  const out = createWriteStream(path);
  let failed: Error | undefined;
  out.on('error', (e) => (failed ??= e));
  return {
    out,
    finished: () =>
      new Promise<void>((resolve, reject) => {
        if (failed) return reject(failed);
        out.end((e?: Error | null) => (e || failed ? reject(e ?? failed) : resolve()));
      }),
  };
}
