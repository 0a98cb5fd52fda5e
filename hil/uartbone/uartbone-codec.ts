// LiteX UARTBone wire format (litex/soc/cores/uart.py Stream2Wishbone, litex/tools/remote/comm_uart.py):
//   host -> board: cmd (1 byte), length (1 byte, words, 1..255), word address (4 bytes big-endian = byte
//   address / 4), then for writes length x 4 data bytes big-endian.
//   board -> host: reads only, length x 4 data bytes big-endian; writes are not acknowledged.
// Length 0 is not a valid burst: the gateware's word counter compares against length-1 and never finishes, so
// the command only ends when the 100 ms FSM timer resets it.

export const UB_CMD_WRITE_INCR = 0x01;
export const UB_CMD_READ_INCR = 0x02;
export const UB_CMD_WRITE_FIXED = 0x03;
export const UB_CMD_READ_FIXED = 0x04;
export const UB_MAX_WORDS = 255;
export const UB_HEADER_BYTES = 6;
/** Stream2Wishbone's WaitTimer: the FSM resets to RECEIVE-CMD after 100 ms outside it. */
export const UB_GATEWARE_TIMEOUT_MS = 100;

export const isUbWrite = (cmd: number): boolean => cmd === UB_CMD_WRITE_INCR || cmd === UB_CMD_WRITE_FIXED;
export const isUbRead = (cmd: number): boolean => cmd === UB_CMD_READ_INCR || cmd === UB_CMD_READ_FIXED;

export class UartboneCodecError extends Error {
  override name = 'UartboneCodecError';
}

function checkCommon(byteAddr: number, n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > UB_MAX_WORDS) throw new UartboneCodecError(`burst of ${n} words: UARTBone carries 1..255`);
  if (byteAddr % 4 !== 0) throw new UartboneCodecError(`address 0x${byteAddr.toString(16)} is not word aligned`);
  if (byteAddr < 0 || byteAddr > 0xffff_ffff) throw new UartboneCodecError(`address 0x${byteAddr.toString(16)} does not fit 32 bits`);
}

function header(buf: Uint8Array, cmd: number, n: number, byteAddr: number): DataView {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  dv.setUint8(0, cmd);
  dv.setUint8(1, n);
  dv.setUint32(2, byteAddr / 4, false);
  return dv;
}

/** A read request: the board answers with n x 4 bytes. */
export function encodeUbRead(byteAddr: number, n: number, fixed = false): Uint8Array {
  checkCommon(byteAddr, n);
  const buf = new Uint8Array(UB_HEADER_BYTES);
  header(buf, fixed ? UB_CMD_READ_FIXED : UB_CMD_READ_INCR, n, byteAddr);
  return buf;
}

/** A write request carrying words (big-endian). */
export function encodeUbWrite(byteAddr: number, words: ArrayLike<number>, fixed = false): Uint8Array {
  checkCommon(byteAddr, words.length);
  const buf = new Uint8Array(UB_HEADER_BYTES + 4 * words.length);
  const dv = header(buf, fixed ? UB_CMD_WRITE_FIXED : UB_CMD_WRITE_INCR, words.length, byteAddr);
  for (let i = 0; i < words.length; i++) dv.setUint32(UB_HEADER_BYTES + 4 * i, words[i] >>> 0, false);
  return buf;
}

/** Words of a read reply (bytes.length must be a multiple of 4). */
export function decodeUbWords(bytes: Uint8Array): Uint32Array {
  if (bytes.length % 4 !== 0) throw new UartboneCodecError(`reply of ${bytes.length} bytes is not whole words`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = dv.getUint32(4 * i, false);
  return out;
}

export function encodeUbWords(words: ArrayLike<number>): Uint8Array {
  const buf = new Uint8Array(4 * words.length);
  const dv = new DataView(buf.buffer);
  for (let i = 0; i < words.length; i++) dv.setUint32(4 * i, words[i] >>> 0, false);
  return buf;
}

export interface UbRequest {
  cmd: number;
  n: number;
  /** Byte address (word address x 4). */
  addr: number;
  words?: Uint32Array;
}

/** Decode one whole request from the start of bytes (tests, the simulator). Null when incomplete. */
export function decodeUbRequest(bytes: Uint8Array): { req: UbRequest; used: number } | null {
  if (bytes.length < UB_HEADER_BYTES) return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const cmd = dv.getUint8(0);
  const n = dv.getUint8(1);
  const addr = dv.getUint32(2, false) * 4;
  if (!isUbWrite(cmd)) return { req: { cmd, n, addr }, used: UB_HEADER_BYTES };
  const need = UB_HEADER_BYTES + 4 * n;
  if (bytes.length < need) return null;
  return { req: { cmd, n, addr, words: decodeUbWords(bytes.subarray(UB_HEADER_BYTES, need)) }, used: need };
}

/**
 * Largest burst that completes inside the gateware's 100 ms FSM timer at this baud rate (10 bits per byte),
 * with 10 % margin: the FSM is outside RECEIVE-CMD from the command byte to the last reply byte.
 */
export function ubMaxBurstForBaud(baud: number): number {
  const bytesIn90ms = (0.9 * UB_GATEWARE_TIMEOUT_MS * baud) / 10_000;
  return Math.max(1, Math.min(UB_MAX_WORDS, Math.floor((bytesIn90ms - UB_HEADER_BYTES) / 4)));
}
