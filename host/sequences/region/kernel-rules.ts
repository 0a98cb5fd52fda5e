// The region choices that depend on the Linux version, in one table keyed by the kernel profile ids issue 12's
// host/kernels/ uses ("6.1", "6.12", "mainline"); issue 12 folds this table into those profiles. Each entry
// names the kernel source that makes the choice. "6.1" is v6.1 as released (several of these were fixed later
// and backported to some 6.1.y stable releases; the profile is the release, which QEMU 7.2 set-ups ship with).

export type KernelId = '6.1' | '6.12' | 'mainline';
export const KERNEL_IDS: readonly KernelId[] = ['6.1', '6.12', 'mainline'];
export const DEFAULT_KERNEL: KernelId = '6.12';

export interface RegionKernelRules {
  /** Volatile (ram) regions can be created (core/region.c create_ram_region_store, added in v6.3). */
  ramRegions: boolean;
  /**
   * When a host bridge or switch port with ONE downstream port gets a pass-through decoder that Linux never
   * programs (drivers/cxl/port.c): 'always' (v6.1 cxl_port_probe: `if (rc == 1) return
   * devm_cxl_add_passthrough_decoder(port)` before looking at HDM) or 'no-hdm' (later cxl_switch_port_probe:
   * only when the HDM Decoder Capability is absent, -ENODEV from devm_cxl_setup_hdm).
   */
  passthrough: 'always' | 'no-hdm';
  /**
   * The "parent granularity" a host-bridge decoder under the root is derived from (cxl_port_setup_targets):
   * 'window' = the CFMWS HBIG (v6.1: cxlrd->cxlsd.cxld.interleave_granularity), 'region' = the region's
   * granularity (fix "cxl/region: Use region's interleave granularity...", v6.7: p->interleave_granularity).
   * With a 1-way window and a region granularity above the HBIG, 'window' programs the host bridge finer
   * than the endpoints decode: HPAs alias (the memory test finds it).
   */
  rootParentGranularity: 'window' | 'region';
  /**
   * DPA skip of a pmem allocation after an earlier pmem allocation on the same device (core/hdm.c
   * cxl_dpa_alloc): 'from-free-ram' (v6.1: skip counted from the end of allocated ram, so it covers the first
   * pmem allocation too and __cxl_dpa_reserve's request for [base - skip, ...) collides with it: -EBUSY) or
   * 'zero' (fixed: "cxl/hdm: Fix skip allocations vs multiple pmem allocations").
   */
  secondPmemSkip: 'from-free-ram' | 'zero';
  /** check_interleave_cap (core/region.c, v6.10+): ways and HPA bits against the HDM Decoder Capability. */
  checkInterleaveCap: boolean;
}

export const REGION_KERNEL_RULES: Readonly<Record<KernelId, RegionKernelRules>> = {
  '6.1': { ramRegions: false, passthrough: 'always', rootParentGranularity: 'window', secondPmemSkip: 'from-free-ram', checkInterleaveCap: false },
  '6.12': { ramRegions: true, passthrough: 'no-hdm', rootParentGranularity: 'region', secondPmemSkip: 'zero', checkInterleaveCap: true },
  mainline: { ramRegions: true, passthrough: 'no-hdm', rootParentGranularity: 'region', secondPmemSkip: 'zero', checkInterleaveCap: true },
};

export const isKernelId = (s: string): s is KernelId => (KERNEL_IDS as readonly string[]).includes(s);
