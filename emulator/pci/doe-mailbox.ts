// DOE mailbox behaviour (PCIe Base 6.0 6.30, 7.9.24) on a 'pci-doe' RegisterBlock: the host writes a request
// a dword at a time into Write Data Mailbox, sets Go; the function answers synchronously (Data Object Ready);
// the host reads Read Data Mailbox and writes it to advance. Protocols are handlers keyed by vendor/type.
// Discovery (vendor 0x0001 type 0, 6.30.1.1) is built in and lists every registered protocol.

import type { RegisterBlock } from '../regs/register-block.js';

/** A protocol handler: the request dwords (header included) in, the response payload dwords (no header) out. */
export type DoeProtocol = (request: Uint32Array, length: number) => Uint32Array | null;

const REG = { control: 0x8, status: 0xc, write: 0x10, read: 0x14 } as const;
const ST_BUSY = 1 << 0;
const ST_ERROR = 1 << 2;
const ST_READY = 0x8000_0000;
/** Requests longer than this are an error: ours are at most a few dwords (table access is 3). */
const MAX_REQUEST_DWORDS = 64;

export class DoeMailbox {
  private readonly request = new Uint32Array(MAX_REQUEST_DWORDS);
  private reqLen = 0;
  private response = new Uint32Array(0);
  private respPos = 0;
  private readonly protocols: { vendor: number; type: number; handler: DoeProtocol }[] = [];

  constructor(private readonly block: RegisterBlock) {
    block.onWrite(REG.control, (_b, _r, lo) => this.control(lo));
    block.onWrite(REG.write, (_b, _r, lo, _hi, off, width) => {
      if (off === REG.write && width === 4) this.push(lo);
    });
    block.onWrite(REG.read, () => this.advance());
  }

  addProtocol(vendor: number, type: number, handler: DoeProtocol): void {
    this.protocols.push({ vendor, type, handler });
  }

  /** Abort state (also on function reset). */
  reset(): void {
    this.reqLen = 0;
    this.response = new Uint32Array(0);
    this.respPos = 0;
    this.block.set(REG.read, 4, 0);
  }

  private status(mask: number, on: boolean): void {
    this.block.setBits(REG.status, 4, mask, on ? mask : 0);
  }

  private control(v: number): void {
    if (v & 1) {
      // Abort: drop everything, clear Error and Data Object Ready (PCIe 6.0 6.30.2).
      this.reset();
      this.status(ST_ERROR | ST_READY | ST_BUSY, false);
      return;
    }
    if ((v & 0x8000_0000) !== 0) this.go();
  }

  private push(dw: number): void {
    if (this.reqLen >= MAX_REQUEST_DWORDS) {
      this.status(ST_ERROR, true);
      return;
    }
    this.request[this.reqLen++] = dw >>> 0;
  }

  private go(): void {
    const len = this.reqLen;
    this.reqLen = 0;
    if (len < 2) return this.status(ST_ERROR, true);
    const vendor = this.request[0] & 0xffff;
    const type = (this.request[0] >>> 16) & 0xff;
    const declared = this.request[1] & 0x3ffff;
    if (declared !== len) return this.status(ST_ERROR, true);
    let payload: Uint32Array | null;
    if (vendor === 0x0001 && type === 0) payload = this.discovery(len);
    else {
      const p = this.protocols.find((x) => x.vendor === vendor && x.type === type);
      // PCIe 6.0 6.30.1: an unsupported data object type is discarded without a response.
      payload = p ? p.handler(this.request.subarray(0, len), len) : null;
    }
    if (!payload) return;
    const resp = new Uint32Array(2 + payload.length);
    resp[0] = this.request[0];
    resp[1] = resp.length & 0x3ffff;
    resp.set(payload, 2);
    this.response = resp;
    this.respPos = 0;
    this.block.set(REG.read, 4, resp[0]);
    this.status(ST_READY, true);
  }

  private discovery(len: number): Uint32Array {
    const index = len > 2 ? this.request[2] & 0xff : 0;
    const all = [{ vendor: 0x0001, type: 0 }, ...this.protocols];
    const entry = all[index] ?? all[0];
    const next = index + 1 < all.length ? index + 1 : 0;
    return Uint32Array.of((entry.vendor | (entry.type << 16) | (next << 24)) >>> 0);
  }

  private advance(): void {
    if (this.respPos >= this.response.length) return;
    this.respPos++;
    if (this.respPos >= this.response.length) {
      this.status(ST_READY, false);
      this.block.set(REG.read, 4, 0);
    } else this.block.set(REG.read, 4, this.response[this.respPos]);
  }
}

/** CXL Table Access protocol (CXL 2.0 8.1.11): vendor 0x1E98, type 2, Read Entry of CDAT entries by handle. */
export function cdatTableAccess(entries: readonly Uint8Array[]): DoeProtocol {
  return (req, len) => {
    if (len < 3) return null;
    const code = req[2] & 0xff;
    const table = (req[2] >>> 8) & 0xff;
    const handle = req[2] >>> 16;
    if (code !== 0 || table !== 0 || handle >= entries.length) return null;
    const e = entries[handle];
    const out = new Uint32Array(1 + Math.ceil(e.length / 4));
    const next = handle + 1 < entries.length ? handle + 1 : 0xffff;
    out[0] = (0 | (0 << 8) | (next << 16)) >>> 0;
    new Uint8Array(out.buffer, 4).set(e);
    return out;
  };
}
