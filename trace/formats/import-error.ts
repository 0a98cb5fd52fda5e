// Why an import failed, with the 1-based line number a user can open the file at. Importers validate the
// whole input first and return nothing partial.

export class TraceImportError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'TraceImportError';
  }
}

/** Split text into lines (LF or CRLF), dropping one trailing empty line. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
