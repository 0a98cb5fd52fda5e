// The emulated Type 3 device as host tests use it: createType3 + EmulatedTarget, with a shared virtual clock.

import { VirtualClock } from '../../common/clock.js';
import { defaultType3Config, type Type3Config } from '../../emulator/type3/config.js';
import { createType3, type Type3Device } from '../../emulator/type3/type3-device.js';
import { EmulatedTarget } from '../../emulator/emulated-target.js';
import type { Target } from '../../common/target.js';
import { makeCtx, type TestCtx } from './run-env.js';
import { hdmDecodersOf } from '../../emulator/hdm/hdm-decoders.js';

export interface RealDevice {
  dev: Type3Device;
  target: Target;
  ctx: TestCtx;
}

export function realDevice(over: Partial<Type3Config> = {}, node = 'hb0.rp0.ep0', wrap?: (t: Target) => Target): RealDevice {
  const clock = new VirtualClock();
  const cfg = { ...defaultType3Config(), ...over };
  const dev = createType3(cfg, clock);
  // Workaround (reported): a standalone createType3 leaves its HDM decoders' DPA capacity at 0, so every
  // endpoint commit fails "DPA exhausted". Give the decoders the device's capacity until emulator/type3 does.
  const hdm = hdmDecodersOf(dev.block('cxl-hdm-decoder')) as unknown as { dpaCapacity: () => number } | undefined;
  if (hdm && hdm.dpaCapacity() === 0) hdm.dpaCapacity = () => cfg.volatileBytes + cfg.persistentBytes + cfg.partitionableBytes;
  const raw = new EmulatedTarget(dev.fn, null, node);
  const target = wrap ? wrap(raw) : raw;
  const ctx = makeCtx([target], null, clock);
  return { dev, target, ctx };
}
