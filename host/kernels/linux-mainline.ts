// Newest behaviour established from the sources: the CXL maintainers' tree (git.kernel.org cxl/cxl.git, stored
// as kernelorg-mirror/linux_kernel_git_cxl_cxl at 19bcbd11a08d). Differences from 6.12: Features discovery
// (Get Supported Features) at probe and RAS set-up moved out of cxl_pci_probe.

import { LINUX_6_12 } from './linux-6.12.js';
import type { KernelProfile } from './types.js';

export const LINUX_MAINLINE: KernelProfile = {
  ...LINUX_6_12,
  id: 'mainline',
  title: 'Linux mainline (cxl.git 19bcbd11a08d)',
  tree: 'cxl/cxl.git 19bcbd11a08d drivers/cxl',
  checkedAgainst: 'sources only',
  probe: {
    ...LINUX_6_12.probe,
    setMaster: { value: true, source: 'drivers/cxl/pci.c cxl_pci_probe (pci_set_master)' },
    features: { value: true, source: 'drivers/cxl/pci.c cxl_pci_probe → devm_cxl_setup_features (Get Supported Features)' },
    rasUnmask: { value: 'none', source: 'drivers/cxl/pci.c cxl_pci_probe (cxl_pci_ras_unmask no longer called at probe)' },
  },
};
