// Errors of the lab store (issue 17): every message names the lab by its address without credentials. Secrets
// (a URL's password, PGPASSWORD, a password= keyword) are replaced by "***" in every message that leaves here.

const URL_PASSWORD = /(postgres(?:ql)?:\/\/[^:@/\s]*):([^@\s]*)@/gi;
const KEYWORD_PASSWORD = /(password\s*=\s*)('[^']*'|\S+)/gi;

/** `text` with any credentials it may carry replaced by ***. `secrets`: known passwords to hide verbatim too. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(URL_PASSWORD, '$1:***@').replace(KEYWORD_PASSWORD, '$1***');
  for (const s of secrets) if (s && s.length >= 3) out = out.split(s).join('***');
  const env = globalThis.process?.env?.PGPASSWORD;
  if (env && env.length >= 3) out = out.split(env).join('***');
  return out;
}

export type LabErrorKind =
  /** No lab configured, or a URL that does not parse. */
  | 'config'
  /** Cannot reach the server, or it went away mid-way. */
  | 'unreachable'
  /** Authentication or permission refused (e.g. a read-only user publishing). */
  | 'denied'
  /** The lab's schema is missing or newer than this build. */
  | 'schema'
  /** Something in the data (an unknown run, a store identity clash). */
  | 'data'
  /** The user cancelled. */
  | 'cancelled';

export class LabError extends Error {
  override name = 'LabError';
  constructor(
    readonly kind: LabErrorKind,
    message: string,
  ) {
    super(redact(message));
  }
}

/** SQLSTATE classes (PostgreSQL Appendix A) that mean "not allowed" rather than "broken". */
const DENIED = new Set(['28000', '28P01', '42501']);
/** Connection-level failures: class 08, admin shutdown (57P01..57P03), and Node's socket errors. */
const GONE_CODES = new Set(['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'EPIPE', 'ENOENT', 'EAI_AGAIN']);

/** A pg / socket error as a LabError saying what failed, against which lab (`where`: the redacted address). */
export function labErrorFrom(e: unknown, where: string, doing: string): LabError {
  if (e instanceof LabError) return e;
  const err = e as { code?: string; message?: string };
  const code = err?.code ?? '';
  const msg = (err?.message ?? String(e)).split('\n')[0];
  if (/client password must be a string|password authentication failed|no password/i.test(msg))
    return new LabError('denied', `lab store ${where}: ${doing} refused: ${/must be a string/.test(msg) ? 'the server wants a password and none was given (set PGPASSWORD or a ~/.pgpass / PGPASSFILE line)' : msg}`);
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/.test(code) || /does not support SSL|certificate/i.test(msg))
    return new LabError('denied', `lab store ${where}: TLS refused (${doing}): ${msg}${code ? ` [${code}]` : ''} — check sslmode / sslrootcert in the connection string`);
  if (DENIED.has(code)) return new LabError('denied', `lab store ${where}: ${doing} refused: ${msg}`);
  if (GONE_CODES.has(code) || code.startsWith('08') || /Connection terminated|connection timeout|terminating connection|Client was closed|Connection ended/i.test(msg))
    return new LabError('unreachable', `lab store ${where} is unreachable (${doing}): ${msg}`);
  return new LabError('data', `lab store ${where}: ${doing} failed: ${msg}${code ? ` [${code}]` : ''}`);
}
