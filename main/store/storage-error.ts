// Naming what the disk refused (issue 16): a full disk, a read-only folder or a file-size limit surfaces as an
// SQLite code (SQLITE_FULL, SQLITE_IOERR_*, SQLITE_READONLY) or a Node errno (ENOSPC, EROFS, EACCES, EFBIG, …);
// the user needs the plain reason and where, not a stack trace.

const ERRNO: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large (a file-size limit)',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a path component is not a directory',
  ENOENT: 'no such file or directory',
  EIO: 'input/output error',
};

const SQLITE: readonly [RegExp, string][] = [
  [/^SQLITE_FULL$/, 'the database disk is full'],
  [/^SQLITE_READONLY/, 'the database is read-only'],
  [/^SQLITE_IOERR/, 'the database could not be written (I/O error: disk full, a file-size limit or a failing disk)'],
  [/^SQLITE_CANTOPEN$/, 'the database file cannot be opened'],
];

/** "the database disk is full (SQLITE_FULL)" / "no space left on the device (ENOSPC)", or null when `e` is no storage error. */
export function storageProblem(e: unknown): string | null {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (Object.hasOwn(ERRNO, code)) return `${ERRNO[code]} (${code})`;
  for (const [re, text] of SQLITE) if (re.test(code)) return `${text} (${code})`;
  return null;
}

/** A one-line reason for any error: the storage reason when it is one, else its message. */
export function errorReason(e: unknown): string {
  return storageProblem(e) ?? (e instanceof Error ? e.message : String(e)).split('\n')[0];
}
