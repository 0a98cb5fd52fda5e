// The primary mailbox handshake (CXL 2.0 8.2.8.4): on a Doorbell write the device reads the Command register,
// hands opcode + input payload to the backend, then writes output, output length and return code, and clears
// the doorbell. Commands run synchronously (as QEMU), so the doorbell is never seen set by a later access.

import type { MailboxBackend } from '../mailbox/backend.js';
import type { RegisterBlock } from '../regs/register-block.js';

const CONTROL = 0x04;
const COMMAND = 0x08;
const STATUS = 0x10;
const BG_STATUS = 0x18;
/** Return code 0x16 Invalid Payload Length (CXL 2.0 Table 150). */
const RC_INVALID_PAYLOAD_LENGTH = 0x16;

export interface MailboxRecord {
  opcode: number;
  returnCode: number;
  input: Uint8Array;
  output: Uint8Array;
}

export class MailboxDoorbell {
  /** Called after every command (the emulated target forwards it to TraceSink.mailbox). */
  listener: ((rec: MailboxRecord) => void) | null = null;

  constructor(
    private readonly regs: RegisterBlock,
    private readonly payload: RegisterBlock,
    private backend: MailboxBackend,
    /** Width of the Payload Length field: 21 bits [36:16] per the spec, 20 in QEMU's decode. */
    private readonly lengthBits = 21,
    /** QEMU 7.2 (cxl_process_mailbox) zeroes the Command Opcode field when it writes the output length back. */
    private readonly clearOpcodeOnCompletion = false,
  ) {
    regs.onWrite(CONTROL, () => this.doorbell());
    regs.onRead(STATUS, (b) => b.setBits(STATUS, 4, 1, this.backend.backgroundStatus().running ? 1 : 0));
    regs.onRead(BG_STATUS, (b) => {
      const s = this.backend.backgroundStatus();
      b.set(BG_STATUS, 4, ((s.opcode & 0xffff) | ((s.percent & 0x7f) << 16)) >>> 0);
      b.set(BG_STATUS + 4, 4, ((s.rc & 0xffff) | ((s.vendorStatus & 0xffff) << 16)) >>> 0);
    });
  }

  setBackend(b: MailboxBackend): void {
    this.backend = b;
  }

  private doorbell(): void {
    if ((this.regs.get(CONTROL, 4) & 1) === 0) return;
    const lo = this.regs.get(COMMAND, 4);
    const hi = this.regs.get(COMMAND + 4, 4);
    const opcode = lo & 0xffff;
    const length = ((lo >>> 16) | ((hi & 0x1f) << 16)) & ((1 << this.lengthBits) - 1);
    const size = this.payload.size;
    let rc: number;
    let output: Uint8Array;
    let input: Uint8Array;
    if (length > size) {
      input = new Uint8Array(0);
      rc = RC_INVALID_PAYLOAD_LENGTH;
      output = new Uint8Array(0);
    } else {
      input = this.payload.state.slice(0, length);
      try {
        const out = this.backend.execute(opcode, input, size);
        rc = out.rc;
        output = out.output.length > size ? out.output.subarray(0, size) : out.output;
      } catch {
        rc = 0x04; // Internal Error: a backend bug must not escape into the host's access
        output = new Uint8Array(0);
      }
    }
    this.payload.setBytes(0, output);
    this.regs.set(COMMAND, 4, ((this.clearOpcodeOnCompletion ? 0 : opcode & 0xffff) | ((output.length & 0xffff) << 16)) >>> 0);
    this.regs.set(COMMAND + 4, 4, (output.length >>> 16) & 0x1f);
    const bg = this.backend.backgroundStatus().running ? 1 : 0;
    this.regs.set(STATUS, 4, bg);
    this.regs.set(STATUS + 4, 4, rc & 0xffff);
    this.regs.setBits(CONTROL, 4, 1, 0);
    if (this.listener) this.listener({ opcode, returnCode: rc, input, output: output.slice() });
  }
}
