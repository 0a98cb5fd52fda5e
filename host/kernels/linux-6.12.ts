// Linux v6.8 – v6.12 — the model linux-probe was first written from (torvalds/linux drivers/cxl at 0339dc39a521;
// host/sequences/linux-probe/README.md lists the files). Rules name the function they come from.

import type { KernelProfile } from './types.js';

export const LINUX_6_12: KernelProfile = {
  id: '6.12',
  title: 'Linux 6.8 – 6.12',
  tree: 'torvalds/linux 0339dc39a521 drivers/cxl',
  checkedAgainst: 'sources only (no 6.12 guest on this machine); the bench’s own emulator runs',
  probe: {
    flow: { value: 'v6.8', source: 'drivers/cxl/pci.c cxl_pci_probe (media ready before the mailbox)' },
    setMaster: { value: true, source: 'drivers/cxl/pci.c cxl_pci_probe (pci_set_master)' },
    aerInitByCore: { value: true, source: 'drivers/pci/pcie/aer.c pci_aer_init (since 6.4)' },
    componentProbe: { value: 'ras', source: 'drivers/cxl/pci.c cxl_pci_setup_regs + cxl_map_component_regs(RAS)' },
    doeMailboxes: { value: 'pci-core', source: 'drivers/pci/doe.c pci_doe_init (PCI core, since 6.5)' },
    mediaReady: { value: 'cxl_pci', source: 'drivers/cxl/pci.c cxl_pci_probe → cxl_await_media_ready' },
    mailboxBgIrq: { value: true, source: 'drivers/cxl/pci.c cxl_pci_setup_mailbox (background command IRQ)' },
    setTimestamp: { value: true, source: 'drivers/cxl/core/mbox.c cxl_set_timestamp' },
    eventSetup: { value: true, source: 'drivers/cxl/pci.c cxl_event_config' },
    rasUnmask: { value: 'cxl_pci', source: 'drivers/cxl/pci.c cxl_pci_ras_unmask' },
    identifyOutLen: { value: 0x43, source: 'drivers/cxl/cxlmem.h struct cxl_mbox_identify (0x43 bytes: no dc_event_log_size)' },
    identifyExactLen: { value: true, source: 'drivers/cxl/core/mbox.c cxl_internal_send_cmd' },
    features: { value: false, source: 'drivers/cxl/pci.c cxl_pci_probe (Features arrive in 6.15)' },
    decoderTargetTypeAtProbe: { value: false, source: 'drivers/cxl/core/hdm.c init_hdm_decoder (type set at commit)' },
    decoderSettleMs: { value: 20, source: 'drivers/cxl/core/hdm.c devm_cxl_enumerate_decoders' },
    lsaRead: { value: 'whole', source: 'drivers/cxl/pmem.c cxl_pmem_get_config_size (max_xfer = payload − 8)' },
    doorbellPoll: { value: 'busy-wait', source: 'drivers/cxl/pci.c cxl_pci_mbox_wait_for_doorbell' },
    payloadCopy: { value: 'movsl-tail', source: 'arch/x86/lib/iomem.c string_memcpy_fromio' },
  },
  region: {
    ramRegions: { value: true, source: 'drivers/cxl/core/region.c create_ram_region_store' },
    passthrough: { value: 'no-hdm', source: 'drivers/cxl/port.c cxl_switch_port_probe (passthrough only on -ENODEV from devm_cxl_setup_hdm)' },
    rootParentGranularity: { value: 'region', source: 'drivers/cxl/core/region.c cxl_port_setup_targets (p->interleave_granularity, since 6.7)' },
    secondPmemSkip: { value: 'zero', source: 'drivers/cxl/core/hdm.c cxl_dpa_alloc (skip allocations vs multiple pmem allocations fix)' },
    checkInterleaveCap: { value: true, source: 'drivers/cxl/core/region.c check_interleave_cap' },
    commitPollMs: { value: 1, source: 'drivers/cxl/core/hdm.c cxld_await_commit' },
    commitTimeoutMs: { value: 10, source: 'drivers/cxl/core/hdm.c COMMIT_TIMEOUT_MS 10' },
    targetTypeAtCommit: { value: true, source: 'drivers/cxl/core/hdm.c cxl_decoder_commit → cxld_set_type' },
  },
};
