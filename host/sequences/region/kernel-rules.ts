// The region choices that depend on the Linux version. Folded into the kernel profiles (host/kernels: each rule
// with the kernel source that makes the choice); this file keeps the plain-value view region and cxl-list use.

import { KERNELS } from '../../kernels/index.js';
import type { KernelId, KernelRegionRules } from '../../kernels/types.js';

export { DEFAULT_KERNEL, KERNEL_IDS, isKernelId, type KernelId } from '../../kernels/types.js';

export interface RegionKernelRules {
  ramRegions: boolean;
  passthrough: 'always' | 'no-hdm';
  rootParentGranularity: 'window' | 'region';
  secondPmemSkip: 'from-free-ram' | 'zero';
  checkInterleaveCap: boolean;
}

const plain = (r: KernelRegionRules): RegionKernelRules => ({
  ramRegions: r.ramRegions.value,
  passthrough: r.passthrough.value,
  rootParentGranularity: r.rootParentGranularity.value,
  secondPmemSkip: r.secondPmemSkip.value,
  checkInterleaveCap: r.checkInterleaveCap.value,
});

export const REGION_KERNEL_RULES: Readonly<Record<KernelId, RegionKernelRules>> = {
  '6.1': plain(KERNELS['6.1'].region),
  '6.12': plain(KERNELS['6.12'].region),
  mainline: plain(KERNELS.mainline.region),
};
