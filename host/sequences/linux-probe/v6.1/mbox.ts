// The primary mailbox as Linux 6.1 drives it (drivers/cxl/pci.c __cxl_pci_mbox_send_cmd, core/mbox.c
// cxl_mbox_send_cmd), access for access: doorbell check, input copied with memcpy_toio, one 64-bit command write,
// doorbell, busy-wait on MB Control, 64-bit status read, and only on success the command register and
// min(size_out, payload, out_len) bytes of output with memcpy_fromio. On x86-64 both copies are
// string_memcpy_{to,from}io (arch/x86/lib/iomem.c): rep movsl, then a movsw and a movsb for the tail.

import type { Target } from '../../../../common/target.js';
import type { TraceSink } from '../../../../common/trace-sink.js';
import { hex, toHex } from '../../../core/bytes.js';
import { opcodeName, returnCodeName } from '../../../core/mbox-opcodes.js';

const MB = { caps: 0x00, ctrl: 0x04, cmd: 0x08, status: 0x10, payload: 0x20 } as const;
/** CXL_MAILBOX_TIMEOUT_MS: 2 s of busy-waiting; the model polls at most this many times. */
const MAX_DOORBELL_POLLS = 2000;

export interface Mbox61Result {
  opcode: number;
  rc: number;
  /** -ETIMEDOUT, -EBUSY, -E2BIG, -EIO (size mismatch), errno from the return code, or 0. */
  errno: number;
  outLen: number;
  output: Uint8Array;
  note: string;
}

/** string_memcpy_fromio / _toio piece widths for n bytes from an aligned address. */
export function movsPieces(n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.floor(n / 4); i++) out.push(4);
  if (n & 2) out.push(2);
  if (n & 1) out.push(1);
  return out;
}

export class Mailbox61 {
  readonly payloadSize: number;
  constructor(
    readonly t: Target,
    readonly bar: number,
    readonly mbox: number,
    readonly memdev: number,
    readonly capsRaw: number,
    private readonly sink: TraceSink | null,
    private readonly sleep: (ns: number) => Promise<void>,
  ) {
    this.payloadSize = Math.min(2 ** (capsRaw & 0x1f), 1 << 20);
  }

  async doorbellBusy(): Promise<boolean> {
    return ((await this.t.barRead(this.bar, this.mbox + MB.ctrl, 4)) & 1) === 1;
  }

  /** cxl_pci_mbox_wait_for_doorbell. */
  async waitDoorbell(): Promise<boolean> {
    for (let i = 0; i < MAX_DOORBELL_POLLS; i++) {
      if (!(await this.doorbellBusy())) return true;
      await this.sleep(1_000_000);
    }
    return !(await this.doorbellBusy());
  }

  /** cxl_mbox_send_cmd(cxlds, opcode, in, in_size, out, out_size); `variableOut`: no size check. */
  async send(opcode: number, input: Uint8Array, sizeOut: number, variableOut = false): Promise<Mbox61Result> {
    const { t, bar } = this;
    const res = (rc: number, errno: number, outLen: number, output: Uint8Array, note: string): Mbox61Result => {
      const r = { opcode, rc, errno, outLen, output, note };
      if (this.sink)
        this.sink.mailbox(this.sink.nodeId(t.node), { opcode, name: opcodeName(opcode), returnCode: rc, returnName: note || returnCodeName(rc), inputHex: toHex(input), outputHex: toHex(output) });
      return r;
    };
    if (input.length > this.payloadSize || sizeOut > this.payloadSize) return res(0xffff, -7, 0, new Uint8Array(0), 'E2BIG');
    if (await this.doorbellBusy()) {
      await t.barRead64(bar, this.memdev);
      return res(0xffff, -16, 0, new Uint8Array(0), 'mailbox queue busy');
    }
    let cmd = BigInt(opcode & 0xffff);
    if (input.length) {
      cmd |= BigInt(input.length) << 16n;
      let at = 0;
      for (const w of movsPieces(input.length)) {
        let v = 0;
        for (let k = 0; k < w; k++) v |= (input[at + k] ?? 0) << (8 * k);
        await t.barWrite(bar, this.mbox + MB.payload + at, w as 1 | 2 | 4, v >>> 0);
        at += w;
      }
    }
    await t.barWrite64(bar, this.mbox + MB.cmd, cmd);
    await t.barWrite(bar, this.mbox + MB.ctrl, 4, 1);
    if (!(await this.waitDoorbell())) {
      await t.barRead64(bar, this.memdev);
      return res(0xffff, -110, 0, new Uint8Array(0), `mailbox timeout (opcode: ${hex(opcode, 4)})`);
    }
    const status = await t.barRead64(bar, this.mbox + MB.status);
    const rc = Number((status >> 32n) & 0xffffn);
    if (rc !== 0) return res(rc, -6, 0, new Uint8Array(0), '');
    const c = await t.barRead64(bar, this.mbox + MB.cmd);
    const outLen = Number((c >> 16n) & 0x1fffffn);
    let output = new Uint8Array(0);
    if (outLen && sizeOut) {
      const n = Math.min(sizeOut, this.payloadSize, outLen);
      output = new Uint8Array(n);
      let at = 0;
      for (const w of movsPieces(n)) {
        const v = await t.barRead(bar, this.mbox + MB.payload + at, w as 1 | 2 | 4);
        for (let k = 0; k < w; k++) output[at + k] = (v >>> (8 * k)) & 0xff;
        at += w;
      }
    }
    if (!variableOut && output.length !== sizeOut) return res(rc, -5, outLen, output, `output ${output.length} B, expected ${sizeOut} B (-EIO)`);
    return res(rc, 0, outLen, output, '');
  }
}
