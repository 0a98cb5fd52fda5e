// Simulated silicon behind a LiteX UARTBone bridge: a device-side server on a serial port (or one end of a
// socat pty pair) that serves any FunctionModel through a DeviceMap, byte-compatible with Stream2Wishbone
// (litex/soc/cores/uart.py):
//   - commands 0x01..0x04, length, big-endian word address, big-endian data; replies only to reads;
//   - an unknown command is dropped after its 6 header bytes; a length-0 burst never completes;
//   - a 100 ms timer returns the FSM to RECEIVE-CMD when a command has not completed (resync point);
//   - paced: bytes move at baud/10 bytes/s each way, and bytes arriving while the FSM is reading the bus or
//     sending a reply are lost (RS232PHYRX has no FIFO and no back-pressure), as on the board.

import { SerialPort } from 'serialport';
import type { FunctionModel } from '../../common/function-model.js';
import type { DeviceMap } from '../device-map.js';
import { UB_GATEWARE_TIMEOUT_MS, UB_HEADER_BYTES, encodeUbWords, isUbRead, isUbWrite, UB_CMD_READ_INCR, UB_CMD_WRITE_INCR } from '../uartbone/uartbone-codec.js';
import { busModel, type BusMemory, type BusModel } from './bus-model.js';
import { openPtyPair, type PtyPair } from './pty-pair.js';
import { withSiliconProfile, type SiliconProfile } from './profiles.js';
import { SimFaultState, type SimFault } from './sim-faults.js';

/** How far ahead of their wire time paced bytes may be handed to the pty. */
export const PACE_QUANTUM_MS = 2;

export interface UartboneSimOptions {
  model: FunctionModel;
  map: DeviceMap;
  /** The device's memory, served through the map's 'mem' window (bus-model.ts); absent: that window reads all-ones. */
  memory?: BusMemory;
  /** Device-side port to open; or pty: true for a fresh socat pair (the other end is returned). */
  path?: string;
  pty?: boolean;
  baud?: number;
  /** Honour the baud rate (10 bits per byte) both ways. Off: bytes move as fast as the pty does. */
  paced?: boolean;
  profile?: string | SiliconProfile;
  /** The gateware FSM timer (100 ms in LiteX); tests may shorten it together with the link's resync wait. */
  gatewareTimeoutMs?: number;
}

export interface UartboneSim {
  /** The port the host should open (the other pty end, or the path given). */
  readonly path: string;
  readonly baud: number;
  /**
   * Requests completed, bytes the FSM lost because they arrived while it was busy, FSM timer resets, and bytes
   * received from the host (all of them, dropped ones included) — tests wait on these instead of sleeping.
   */
  readonly counters: { requests: number; lostBytes: number; resets: number; bytesIn: number };
  inject(f: SimFault): void;
  /** Kill the pty pair (pty mode) or close the port: the host sees its port disappear. */
  disconnect(): Promise<void>;
  close(): Promise<void>;
}

/** The Stream2Wishbone state machine, fed with bytes and their wire arrival times (ms). */
export class UartboneFsm {
  private buf = new Uint8Array(UB_HEADER_BYTES + 4 * 255);
  private fill = 0;
  private cmdStart = 0;
  private wordsDone = 0;
  /** Wire time at which the FSM finishes reading/sending and returns to RECEIVE-CMD. */
  busyUntil = 0;
  readonly counters = { requests: 0, lostBytes: 0, resets: 0, bytesIn: 0 };

  constructor(
    private readonly bus: BusModel,
    private readonly timeoutMs: number,
    private readonly onReply: (bytes: Uint8Array, atMs: number) => number,
    private readonly onRequest: () => void,
    /** Bytes may reach the host this early (pacing quantum); a host byte sent that early in reaction is fine. */
    private readonly tolerance: number,
    /** Wire time of one byte (0 when unpaced). */
    private readonly byteMs: number,
  ) {}

  /**
   * One byte with its wire arrival time. Returns the wire time actually used: a byte from a host that reacted
   * to an early-delivered reply is taken to arrive after the reply ended (causality), while a byte arriving
   * clearly during the reply is lost (-1).
   */
  feed(byte: number, t: number): number {
    if (t < this.busyUntil - this.tolerance) {
      this.counters.lostBytes++;
      return -1;
    }
    t = Math.max(t, this.busyUntil + this.byteMs); // a reacting byte starts on the wire after the reply ended
    if (this.fill > 0 && t - this.cmdStart > this.timeoutMs) {
      this.fill = 0; // WaitTimer fired: back to RECEIVE-CMD, partial command discarded
      this.counters.resets++;
    }
    if (this.fill === 0) {
      this.cmdStart = t;
      this.wordsDone = 0;
    }
    this.buf[this.fill++] = byte;
    if (this.fill < UB_HEADER_BYTES) return t;
    const cmd = this.buf[0];
    const n = this.buf[1];
    const dv = new DataView(this.buf.buffer);
    const addr = dv.getUint32(2, false) * 4;
    if (isUbRead(cmd)) {
      this.fill = 0;
      this.counters.requests++;
      const words = new Uint32Array(n);
      for (let i = 0; i < n; i++) words[i] = this.bus.read32((addr + (cmd === UB_CMD_READ_INCR ? 4 * i : 0)) >>> 0);
      // n = 0 would never finish in the gateware (words_count == length - 1 never holds): nothing is sent.
      if (n > 0) this.busyUntil = this.onReply(encodeUbWords(words), t);
      this.onRequest();
      return t;
    }
    if (!isUbWrite(cmd)) {
      this.fill = 0; // RECEIVE-ADDRESS with an unknown command goes back to RECEIVE-CMD
      return t;
    }
    // Write data: each word lands as its 4th byte arrives.
    if (this.fill > UB_HEADER_BYTES && (this.fill - UB_HEADER_BYTES) % 4 === 0) {
      const i = this.wordsDone++;
      this.bus.write32((addr + (cmd === UB_CMD_WRITE_INCR ? 4 * i : 0)) >>> 0, dv.getUint32(this.fill - 4, false));
      if (this.wordsDone === n) {
        this.fill = 0;
        this.counters.requests++;
        this.onRequest();
      } else if (this.fill + 4 > this.buf.length) {
        // Length 0 (a desynchronised stream can present one) never ends in the gateware either (words_count ==
        // length - 1 never holds): it keeps writing words, so keep taking them in the same buffer space.
        this.fill = UB_HEADER_BYTES;
      }
    }
    return t;
  }
}

export async function startUartboneSim(o: UartboneSimOptions): Promise<UartboneSim> {
  const baud = o.baud ?? 115_200;
  const paced = o.paced ?? false;
  const byteMs = 10_000 / baud;
  let pty: PtyPair | null = null;
  let devicePath: string;
  let hostPath: string;
  if (o.pty) {
    pty = await openPtyPair();
    devicePath = pty.a;
    hostPath = pty.b;
  } else if (o.path) {
    devicePath = hostPath = o.path;
  } else throw new Error('startUartboneSim: give path or pty: true');

  const model = o.profile ? withSiliconProfile(o.model, o.profile) : o.model;
  const faults = new SimFaultState();
  const port = new SerialPort({ path: devicePath, baudRate: baud, autoOpen: false });
  await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
  port.on('error', () => undefined);

  // Transmit side: segments of bytes, each with a wire start time; paced output writes what is due.
  const tx: Array<{ start: number; bytes: Uint8Array; sent: number }> = [];
  let txFree = 0;
  let txTimer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  /**
   * How late (ms) the simulator itself handed the last reply's final byte to the pty. The host cannot react
   * before it has that byte, so its next request is dated back by this much: the simulator's own timer and
   * scheduling delays (a loaded machine) are not charged to the host as idle line time, while the host's own
   * reaction time still is.
   */
  let lateMs = 0;
  // Pacing quantum: bytes go out up to PACE_QUANTUM_MS before their wire time (Node timers are ~1 ms
  // granular). The average rate stays exact; the busy-drop check below tolerates the same quantum.
  const pump = (): void => {
    if (txTimer) clearTimeout(txTimer);
    txTimer = null;
    if (closed) return;
    const now = performance.now();
    while (tx.length) {
      const s = tx[0];
      const due = paced
        ? Math.min(s.bytes.length, Math.floor((now + PACE_QUANTUM_MS - s.start) / byteMs) + 1)
        : now >= s.start
          ? s.bytes.length
          : 0;
      if (due > s.sent) {
        port.write(s.bytes.subarray(s.sent, due));
        s.sent = due;
      }
      if (s.sent < s.bytes.length) break;
      tx.shift();
      if (paced && tx.length === 0) lateMs = Math.max(0, now - (s.start + (s.bytes.length - 1) * byteMs - PACE_QUANTUM_MS));
    }
    if (tx.length) {
      const s = tx[0];
      const next = paced ? s.start + s.sent * byteMs - PACE_QUANTUM_MS : s.start;
      txTimer = setTimeout(pump, Math.max(0, next - performance.now()));
    }
  };
  const schedule = (reply: Uint8Array, t: number): number => {
    const shaped = faults.shapeReply(reply);
    const start = Math.max(txFree, t) + shaped.delayMs;
    const end = paced ? start + shaped.bytes.length * byteMs : start;
    txFree = end;
    lateMs = 0;
    tx.push({ start, bytes: shaped.bytes, sent: 0 });
    pump();
    return paced ? end : 0;
  };

  let disconnecting = false;
  const disconnect = async (): Promise<void> => {
    if (disconnecting) return;
    disconnecting = true;
    closed = true;
    if (pty) await pty.kill();
    if (port.isOpen) await new Promise<void>((r) => port.close(() => r()));
  };

  const fsm = new UartboneFsm(
    busModel(model, o.map, o.memory),
    o.gatewareTimeoutMs ?? UB_GATEWARE_TIMEOUT_MS,
    schedule,
    () => {
      if (faults.countRequest()) void disconnect();
    },
    paced ? PACE_QUANTUM_MS : 0,
    paced ? byteMs : 0,
  );
  let rxT = 0;
  port.on('data', (chunk: Buffer) => {
    const now = performance.now();
    fsm.counters.bytesIn += chunk.length;
    for (const b of chunk) {
      if (faults.dropRequestBytes > 0) {
        faults.dropRequestBytes--;
        continue;
      }
      const used = fsm.feed(b, paced ? Math.max(rxT, now - lateMs) + byteMs : now);
      if (used >= 0) rxT = used;
    }
  });

  return {
    path: hostPath,
    baud,
    counters: fsm.counters,
    inject: (f) => faults.inject(f),
    disconnect,
    close: async () => {
      if (txTimer) clearTimeout(txTimer);
      await disconnect();
    },
  };
}
