// The simulated UARTBone FSM fed byte by byte, without a pty: what the gateware does with a burst length of 0.
import { describe, expect, it } from 'vitest';
import { UartboneFsm } from '../../hil/sim/uartbone-sim.js';
import { UB_CMD_WRITE_INCR } from '../../hil/uartbone/uartbone-codec.js';

describe('UartboneFsm', () => {
  it('a write of length 0 (a desynchronised stream) keeps writing words past 255, as the gateware would, and never throws', () => {
    const writes: Array<[number, number]> = [];
    const bus = { read32: () => 0, write32: (a: number, v: number) => void writes.push([a, v]) };
    const fsm = new UartboneFsm(bus, 1e9, () => 0, () => {}, 0, 0);
    const header = [UB_CMD_WRITE_INCR, 0, 0, 0, 0, 0x10]; // word address 0x10 = byte 0x40
    let t = 0;
    for (const b of header) fsm.feed(b, t++);
    const words = 300;
    for (let i = 0; i < words; i++) for (const b of [0, 0, (i >> 8) & 0xff, i & 0xff]) expect(() => fsm.feed(b, t++)).not.toThrow();
    expect(writes).toHaveLength(words);
    expect(writes[299]).toEqual([0x40 + 4 * 299, 299]);
    expect(fsm.counters.requests).toBe(0); // it never completes
  });
});
