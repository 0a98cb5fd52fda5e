// Linux 6.1 — read from Debian's linux-source-6.1 6.1.192-3 (the exact tree of this machine's
// linux-image-6.1.0-57-amd64), drivers/cxl and arch/x86/lib/iomem.c. Rules name the function they come from.

import type { KernelProfile } from './types.js';

export const LINUX_6_1: KernelProfile = {
  id: '6.1',
  title: 'Linux 6.1 (Debian 12, 6.1.192)',
  tree: 'Debian linux-source-6.1 6.1.192-3 drivers/cxl',
  checkedAgainst: 'real Linux 6.1.0-57-amd64 probing QEMU 7.2 (test/fixtures/qemu-linux)',
  probe: {
    flow: { value: 'v6.1', source: 'drivers/cxl/pci.c cxl_pci_probe, port.c cxl_port_probe (media ready in the endpoint port)' },
    setMaster: { value: false, source: 'drivers/cxl/pci.c cxl_pci_probe (pcim_enable_device only, no pci_set_master)' },
    aerInitByCore: { value: false, source: 'drivers/pci/pcie/aer.c (6.1: error reporting enabled per driver, cxl_pci does not)' },
    componentProbe: { value: 'needs-hdm', source: 'drivers/cxl/pci.c cxl_probe_regs ("HDM decoder registers not found", -ENXIO)' },
    doeMailboxes: { value: 'cxl_pci', source: 'drivers/cxl/pci.c devm_cxl_pci_create_doe → pcim_doe_create_mb (DOE Discovery)' },
    mediaReady: { value: 'endpoint-port', source: 'drivers/cxl/port.c cxl_port_probe → cxl_await_media_ready' },
    mailboxBgIrq: { value: false, source: 'drivers/cxl/pci.c cxl_pci_setup_mailbox (no interrupt set-up)' },
    setTimestamp: { value: false, source: 'drivers/cxl/pci.c cxl_pci_probe (no cxl_set_timestamp before 6.3)' },
    eventSetup: { value: false, source: 'drivers/cxl/pci.c cxl_pci_probe (no cxl_event_config before 6.3)' },
    rasUnmask: { value: 'none', source: 'drivers/cxl/pci.c cxl_pci_probe (no cxl_pci_ras_unmask)' },
    identifyOutLen: { value: 0x43, source: 'drivers/cxl/cxlmem.h struct cxl_mbox_identify (0x43 bytes)' },
    identifyExactLen: { value: true, source: 'drivers/cxl/core/mbox.c cxl_mbox_send_cmd (size_out != out_size → -EIO)' },
    features: { value: false, source: 'drivers/cxl/pci.c cxl_pci_probe (no Features)' },
    decoderTargetTypeAtProbe: { value: true, source: 'drivers/cxl/core/hdm.c init_hdm_decoder (uncommitted: ctrl |= TYPE, writel)' },
    decoderSettleMs: { value: 20, source: 'drivers/cxl/core/hdm.c devm_cxl_enumerate_decoders (msleep(20))' },
    lsaRead: { value: 'whole', source: 'drivers/cxl/pmem.c cxl_pmem_get_config_size (max_xfer = payload − 8) + nvdimm label init' },
    doorbellPoll: { value: 'busy-wait', source: 'drivers/cxl/pci.c cxl_pci_mbox_wait_for_doorbell (cpu_relax loop)' },
    payloadCopy: { value: 'movsl-tail', source: 'arch/x86/lib/iomem.c string_memcpy_fromio (rep movsl, then movsw/movsb tail)' },
  },
  region: {
    ramRegions: { value: false, source: 'drivers/cxl/core/region.c (no create_ram_region before 6.3)' },
    passthrough: { value: 'always', source: 'drivers/cxl/port.c cxl_port_probe (rc == 1 → devm_cxl_add_passthrough_decoder)' },
    rootParentGranularity: { value: 'window', source: 'drivers/cxl/core/region.c cxl_port_setup_targets (cxlrd interleave_granularity)' },
    secondPmemSkip: { value: 'from-free-ram', source: 'drivers/cxl/core/hdm.c cxl_dpa_alloc (skip from the end of allocated ram)' },
    checkInterleaveCap: { value: false, source: 'drivers/cxl/core/region.c (no check_interleave_cap before 6.10)' },
    commitPollMs: { value: 1, source: 'drivers/cxl/core/hdm.c cxld_await_commit (fsleep(1000))' },
    commitTimeoutMs: { value: 20, source: 'drivers/cxl/core/hdm.c COMMIT_TIMEOUT_MS 20' },
    targetTypeAtCommit: { value: true, source: 'drivers/cxl/core/hdm.c cxl_decoder_commit → cxld_set_type' },
  },
};
