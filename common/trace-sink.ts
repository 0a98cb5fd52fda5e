// The one hook through which every register access and higher-level event is recorded. Producers (emulated
// functions, the bus, hardware links, host sequences) hold a `TraceSink | null` and test it before building
// anything, so tracing costs one branch when off. trace/ provides the packed in-memory implementation.
//
// Arguments are plain integers so the hot path allocates nothing: node is an id interned with `nodeId`,
// space/region/op/status are the codes from common/access.ts, the value is split into two 32-bit halves.

export interface TraceSink {
  /** Intern a topology path (e.g. "hb0.rp0.ep0") and return its small integer id. */
  nodeId(path: string): number;
  access(
    node: number,
    spaceCode: number,
    regionCode: number,
    offset: number,
    width: number,
    opCode: number, // 0 = R, 1 = W
    valueLo: number,
    valueHi: number,
    statusCode: number,
  ): void;
  /** A mailbox command as the host issued it and the device answered (DESIGN.md section 5). */
  mailbox(node: number, rec: MailboxTraceRecord): void;
  /** A sequence step with its verdict. */
  step(rec: StepTraceRecord): void;
}

export interface MailboxTraceRecord {
  opcode: number;
  name: string;
  returnCode: number;
  returnName: string;
  inputHex: string;
  outputHex: string;
}

export type Verdict = 'pass' | 'warn' | 'fail' | 'info';

export interface StepTraceRecord {
  sequence: string;
  name: string;
  verdict: Verdict;
  reason: string;
  /** Register evidence, e.g. "DVSEC 0 +0x1C = 0x0000_0003 (Memory_Info_Valid=1, Memory_Active=1)". */
  evidence?: string;
}
