import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../common/clock.js';
import { createType3 } from '../../../emulator/type3/type3-device.js';
import { defaultType3Config } from '../../../emulator/type3/config.js';
import { CTRL, DEC, HDM_BLOCK_ID, decoderOffset, hdmDecodersOf } from '../../../emulator/hdm/index.js';

describe('HDM decoders inside a Type 3 device (registry path)', () => {
  it('the device block gets commit semantics, and a device reset clears commits and locks', () => {
    const dev = createType3(defaultType3Config(), new VirtualClock());
    const block = dev.block(HDM_BLOCK_ID, 'bar0');
    const hdm = hdmDecodersOf(block);
    expect(hdm?.endpoint).toBe(true);
    if (!hdm || !block) return;
    hdm.dpaCapacity = () => 512 * 2 ** 20;
    const o = decoderOffset(0);
    block.write(o + DEC.sizeLo, 4, 0x2000_0000); // 512 MiB
    block.write(o + DEC.control, 4, CTRL.commit | CTRL.lockOnCommit);
    expect(block.read(o + DEC.control, 4) & CTRL.committed).toBe(CTRL.committed);
    block.write(o + DEC.sizeLo, 4, 0x1000_0000);
    expect(block.read(o + DEC.sizeLo, 4)).toBe(0x2000_0000);
    dev.reset('warm');
    expect(hdm.committed()).toHaveLength(0);
    expect(block.read(o + DEC.control, 4)).toBe(0);
    block.write(o + DEC.sizeLo, 4, 0x1000_0000);
    expect(block.read(o + DEC.sizeLo, 4)).toBe(0x1000_0000);
  });
});
