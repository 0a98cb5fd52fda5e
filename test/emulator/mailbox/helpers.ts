// Shared set-up for the mailbox tests: a device on a virtual clock and a typed way to send commands.

import { VirtualClock } from '../../../common/clock.js';
import { MiB } from '../../../common/units.js';
import { createType3Backend, type Type3Backend } from '../../../emulator/mailbox/index.js';
import { defaultType3Config, type Type3Config } from '../../../emulator/type3/config.js';

export const PAYLOAD = 2048;

export function makeDevice(overrides: Partial<Type3Config> = {}) {
  const clock = new VirtualClock();
  const config = { ...defaultType3Config(), ...overrides };
  const dev = createType3Backend(config, clock);
  const run = (opcode: number, input: Uint8Array = new Uint8Array(0), payloadSize = PAYLOAD) =>
    dev.execute(opcode, input, payloadSize);
  return { dev, clock, config, run };
}

export type Device = ReturnType<typeof makeDevice>;
export type { Type3Backend };
export { MiB };

/** Little-endian reader over an output payload. */
export function reader(bytes: Uint8Array) {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    u8: (o: number) => dv.getUint8(o),
    u16: (o: number) => dv.getUint16(o, true),
    s16: (o: number) => dv.getInt16(o, true),
    u24: (o: number) => dv.getUint16(o, true) | (dv.getUint8(o + 2) << 16),
    u32: (o: number) => dv.getUint32(o, true),
    u64: (o: number) => Number(dv.getBigUint64(o, true)),
    u64n: (o: number) => dv.getBigUint64(o, true),
  };
}

/** Build an input payload from [offset, width, value] triples. */
export function payload(size: number, fields: [number, 1 | 2 | 4 | 8, number | bigint][] = []): Uint8Array {
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  for (const [o, w, v] of fields) {
    if (w === 1) dv.setUint8(o, Number(v));
    else if (w === 2) dv.setUint16(o, Number(v), true);
    else if (w === 4) dv.setUint32(o, Number(v), true);
    else dv.setBigUint64(o, BigInt(v), true);
  }
  return out;
}
