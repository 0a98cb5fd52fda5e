// Link faults a simulated board can be told to produce, one shot each, on demand (tests, demos):
//   garbage:    these bytes go out just before the next reply (UARTBone) / as a bogus frame (Etherbone TCP)
//   dropBytes:  drop this many bytes from the end of the next reply (a short reply; UDP: drop the datagram)
//   stallMs:    hold the next reply this long
//   dropRequestBytes: the board misses this many of the next incoming bytes (UARTBone: a byte lost on the way in)
//   disconnectAfter: after this many more requests, drop the connection (UARTBone: close the port / pty pair)
export interface SimFault {
  garbage?: Uint8Array;
  dropBytes?: number;
  dropRequestBytes?: number;
  stallMs?: number;
  disconnectAfter?: number;
}

export class SimFaultState {
  garbage: Uint8Array | null = null;
  dropBytes = 0;
  dropRequestBytes = 0;
  stallMs = 0;
  disconnectAfter = -1;

  inject(f: SimFault): void {
    if (f.garbage) this.garbage = f.garbage;
    if (f.dropBytes) this.dropBytes = f.dropBytes;
    if (f.dropRequestBytes) this.dropRequestBytes = f.dropRequestBytes;
    if (f.stallMs) this.stallMs = f.stallMs;
    if (f.disconnectAfter !== undefined) this.disconnectAfter = f.disconnectAfter;
  }

  /** Count a request; true when the connection should drop now. */
  countRequest(): boolean {
    if (this.disconnectAfter < 0) return false;
    if (this.disconnectAfter === 0) return true;
    this.disconnectAfter--;
    return this.disconnectAfter === 0;
  }

  /** Apply reply faults: returns the bytes to send and the delay before them. */
  shapeReply(reply: Uint8Array): { bytes: Uint8Array; delayMs: number } {
    let bytes = reply;
    if (this.dropBytes > 0) {
      bytes = bytes.subarray(0, Math.max(0, bytes.length - this.dropBytes));
      this.dropBytes = 0;
    }
    if (this.garbage) {
      const g = this.garbage;
      const both = new Uint8Array(g.length + bytes.length);
      both.set(g);
      both.set(bytes, g.length);
      bytes = both;
      this.garbage = null;
    }
    const delayMs = this.stallMs;
    this.stallMs = 0;
    return { bytes, delayMs };
  }
}
