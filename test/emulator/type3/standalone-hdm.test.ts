import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../common/clock.js';
import { MiB } from '../../../common/units.js';
import { createType3 } from '../../../emulator/type3/index.js';
import { defaultType3Config } from '../../../emulator/type3/config.js';

// CXL 2.0 8.2.5.12: decoder n registers at +0x10 + 0x20 * n; control at +0x20 of the decoder's set.
const CTRL_COMMIT = 1 << 9;
const CTRL_COMMITTED = 1 << 10;
const CTRL_ERR = 1 << 11;

function programDecoder0(sizeBytes: number) {
  const dev = createType3({ ...defaultType3Config(), volatileBytes: 256 * MiB, persistentBytes: 256 * MiB }, new VirtualClock());
  const hdm = dev.layout().find((p) => p.block === 'cxl-hdm-decoder' && p.region === 'bar0');
  expect(hdm, 'the endpoint exposes an HDM decoder structure in BAR0').toBeDefined();
  const at = (off: number) => hdm!.base + off;
  dev.fn.barWrite(0, at(0x04), 4, 0x2); // HDM Decoder Enable
  dev.fn.barWrite(0, at(0x10), 4, 0); // base low
  dev.fn.barWrite(0, at(0x14), 4, 0x1); // base high: 4 GiB
  dev.fn.barWrite(0, at(0x18), 4, sizeBytes % 2 ** 32);
  dev.fn.barWrite(0, at(0x1c), 4, Math.floor(sizeBytes / 2 ** 32));
  dev.fn.barWrite(0, at(0x20), 4, CTRL_COMMIT); // IG 256 B, IW 1
  let ctrl = 0;
  for (let i = 0; i < 20 && !(ctrl & (CTRL_COMMITTED | CTRL_ERR)); i++) ctrl = dev.fn.barRead(0, at(0x20), 4);
  return ctrl;
}

describe('a Type 3 device on its own (no topology)', () => {
  it('commits an endpoint decoder that fits its capacity', () => {
    const ctrl = programDecoder0(512 * MiB);
    expect(ctrl & CTRL_ERR).toBe(0);
    expect(ctrl & CTRL_COMMITTED).toBe(CTRL_COMMITTED);
  });

  it('refuses a decoder larger than its DPA capacity with Error Not Committed', () => {
    const ctrl = programDecoder0(768 * MiB);
    expect(ctrl & CTRL_ERR).toBe(CTRL_ERR);
    expect(ctrl & CTRL_COMMITTED).toBe(0);
  });
});
