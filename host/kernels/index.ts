// The kernel profiles by id (host/kernels/types.ts): linux-probe, region and conformance look rules up here.

import { LINUX_6_1 } from './linux-6.1.js';
import { LINUX_6_12 } from './linux-6.12.js';
import { LINUX_MAINLINE } from './linux-mainline.js';
import { DEFAULT_KERNEL, KERNEL_IDS, type KernelId, type KernelProfile } from './types.js';

export * from './types.js';

export const KERNELS: Readonly<Record<KernelId, KernelProfile>> = { '6.1': LINUX_6_1, '6.12': LINUX_6_12, mainline: LINUX_MAINLINE };

export const getKernel = (id: KernelId = DEFAULT_KERNEL): KernelProfile => KERNELS[id];
export const allKernels = (): KernelProfile[] => KERNEL_IDS.map((id) => KERNELS[id]);
