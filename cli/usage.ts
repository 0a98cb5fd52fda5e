// Command-line usage text and the error for bad usage (exit code 2, one line on stderr).

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Exit codes CI can rely on (DESIGN.md 6). */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export const USAGE = `usage: cxl-bench <command> [options]

commands:
  demo   [--db FILE] [--json] [--sequence ID] [--topology NAME]
         run the default sequence on the default emulated topology and print a summary
  serve  [--port N] [--host 127.0.0.1] [--db FILE] [--static DIR]
         serve the API (WebSocket) and the browser UI; prints the URL with its token
  runs list [--db FILE] [--session N] [--json]
  trace  RUN --format csv|jsonl [--out FILE] [--db FILE]
  regs   NODE [--space cfg|bar0|bar2] [--topology NAME]
         decoded registers of an emulated endpoint after reset

exit codes: 0 ok, 1 verdicts failed (or the run errored), 2 bad usage or input
default database: ./cxl-bench.sqlite`;
