// A kernel profile: what one Linux version's drivers/cxl does at probe and at region commit, as data. Every
// rule carries the place in that version's sources it was read from, so a step's verdict can say whose rule
// it applied ("Linux 6.1: drivers/cxl/core/hdm.c init_hdm_decoder"). linux-probe, region and the probe-related
// conformance checks compose their steps from these rules (host/sequences/linux-probe/index.ts).

export const KERNEL_IDS = ['6.1', '6.12', 'mainline'] as const;
export type KernelId = (typeof KERNEL_IDS)[number];
/** The profile a run uses when none is named: the model the bench grew up with (v6.8–v6.12). */
export const DEFAULT_KERNEL: KernelId = '6.12';

export const isKernelId = (s: string): s is KernelId => (KERNEL_IDS as readonly string[]).includes(s);

/** One behaviour of one kernel version and where in that version's sources it is. */
export interface KernelRule<T> {
  value: T;
  /** "drivers/cxl/pci.c cxl_pci_probe" — file and function of that version's tree. */
  source: string;
}

export interface KernelProbeRules {
  /** Which composition of steps linux-probe runs: Linux 6.1's order (v6.1/) or the v6.8+ order. */
  flow: KernelRule<'v6.1' | 'v6.8'>;
  /** cxl_pci_probe calls pci_set_master after pcim_enable_device (Command: Bus Master Enable). */
  setMaster: KernelRule<boolean>;
  /** The PCI core enables error reporting in Device Control for every AER-capable function (pci_aer_init). */
  aerInitByCore: KernelRule<boolean>;
  /**
   * cxl_pci's component register probe: 'needs-hdm' = cxl_probe_regs fails the block without an HDM decoder
   * capability and maps nothing else (6.1); 'ras' = the block is probed for RAS (and HDM), missing RAS is dbg.
   */
  componentProbe: KernelRule<'needs-hdm' | 'ras'>;
  /** Where DOE mailboxes are created: cxl_pci at probe (Discovery per mailbox), or the PCI core at enumeration. */
  doeMailboxes: KernelRule<'cxl_pci' | 'pci-core'>;
  /** Where cxl_await_media_ready runs: in cxl_pci_probe before the mailbox, or in the endpoint cxl_port probe. */
  mediaReady: KernelRule<'cxl_pci' | 'endpoint-port'>;
  /** cxl_pci_setup_mailbox enables the background-command interrupt (MB Control bit 2). */
  mailboxBgIrq: KernelRule<boolean>;
  /** cxl_set_timestamp (Set Timestamp 0301h) after the CEL. */
  setTimestamp: KernelRule<boolean>;
  /** cxl_event_config: event interrupt policy and draining every event log. */
  eventSetup: KernelRule<boolean>;
  /** Where the CXL RAS masks are cleared: end of cxl_pci_probe, the endpoint port, or never. */
  rasUnmask: KernelRule<'cxl_pci' | 'none'>;
  /** Bytes of Identify Memory Device output the driver asks for (sizeof(struct cxl_mbox_identify)). */
  identifyOutLen: KernelRule<number>;
  /** cxl_mbox_send_cmd fails a fixed-size command whose output is shorter than asked (-EIO). */
  identifyExactLen: KernelRule<boolean>;
  /** devm_cxl_setup_features: Get Supported Features (0500h) when the CEL lists it. */
  features: KernelRule<boolean>;
  /** HDM decoder enumeration writes Target Type = expander into every uncommitted decoder's control. */
  decoderTargetTypeAtProbe: KernelRule<boolean>;
  /** devm_cxl_enumerate_decoders sleeps 20 ms when not every decoder is committed. */
  decoderSettleMs: KernelRule<number>;
  /** nvdimm reads the label area: the whole LSA, in chunks of payload size − 8 (cxl_pmem_get_config_size). */
  lsaRead: KernelRule<'whole'>;
  /** cxl_pci's mailbox polls: 'busy-wait' reads MB Control back to back (cpu_relax), no sleep between. */
  doorbellPoll: KernelRule<'busy-wait'>;
  /** Which memcpy_fromio/toio forms the payload copies take on x86-64 (arch/x86/lib/iomem.c). */
  payloadCopy: KernelRule<'movsl-tail'>;
}

export interface KernelRegionRules {
  /** Volatile (ram) regions can be created (core/region.c create_ram_region_store, added in v6.3). */
  ramRegions: KernelRule<boolean>;
  /** Pass-through decoder for a one-dport port: 'always' (6.1 cxl_port_probe) or only without HDM ('no-hdm'). */
  passthrough: KernelRule<'always' | 'no-hdm'>;
  /** Parent granularity of a host-bridge decoder under the root: the window's HBIG (6.1) or the region's. */
  rootParentGranularity: KernelRule<'window' | 'region'>;
  /** DPA skip of a second pmem allocation (core/hdm.c cxl_dpa_alloc): 6.1's collision or the later fix. */
  secondPmemSkip: KernelRule<'from-free-ram' | 'zero'>;
  /** check_interleave_cap (core/region.c, v6.10+). */
  checkInterleaveCap: KernelRule<boolean>;
  /** Poll interval and limit of cxld_await_commit (core/hdm.c). */
  commitPollMs: KernelRule<number>;
  commitTimeoutMs: KernelRule<number>;
  /** cxl_decoder_commit writes Target Type at commit (later kernels) rather than relying on the probe's write. */
  targetTypeAtCommit: KernelRule<boolean>;
}

export interface KernelProfile {
  id: KernelId;
  title: string;
  /** The tree the rules were read from (and the real kernel a capture of it is compared with). */
  tree: string;
  /** What the profile is measured against (README table). */
  checkedAgainst: string;
  probe: KernelProbeRules;
  region: KernelRegionRules;
}

/** "Linux 6.1: drivers/cxl/pci.c cxl_pci_probe" — the clause a step's reason ends with. */
export const ruleCite = (k: KernelProfile, rule: KernelRule<unknown>): string => `Linux ${k.id}: ${rule.source}`;
