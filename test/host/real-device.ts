// The emulated Type 3 device as host tests use it: createType3 + EmulatedTarget, with a shared virtual clock.

import { VirtualClock } from '../../common/clock.js';
import { defaultType3Config, type Type3Config } from '../../emulator/type3/config.js';
import { createType3, type Type3Device } from '../../emulator/type3/type3-device.js';
import { EmulatedTarget } from '../../emulator/emulated-target.js';
import type { Target } from '../../common/target.js';
import { makeCtx, type TestCtx } from './run-env.js';

export interface RealDevice {
  dev: Type3Device;
  target: Target;
  ctx: TestCtx;
}

export function realDevice(over: Partial<Type3Config> = {}, node = 'hb0.rp0.ep0', wrap?: (t: Target) => Target): RealDevice {
  const clock = new VirtualClock();
  const dev = createType3({ ...defaultType3Config(), ...over }, clock);
  const raw = new EmulatedTarget(dev.fn, null, node);
  const target = wrap ? wrap(raw) : raw;
  const ctx = makeCtx([target], null, clock);
  return { dev, target, ctx };
}
