// Block kind ids that `enumerate` writes into a discovered Layout (common/layout.ts). They match the ids
// emulator/spec/blocks.ts registers (and emulator/hdm's 'cxl-hdm-decoder'), so a hardware trace decodes with
// the same declarations as an emulated one. host/ may not import emulator/, hence the copy in one table;
// test/host/enumerate pins it against the emulated device's own layout().

export const BLOCK_ID = {
  type0Header: 'pci-type0-header',
  type1Header: 'pci-type1-header',
  pcieCap: 'pci-express',
  pmCap: 'pci-pm',
  msiCap: 'pci-msi',
  msixCap: 'pci-msix',
  aer: 'pci-aer',
  dsn: 'pci-dsn',
  doe: 'pci-doe',
  componentCapArray: 'cxl-cm-cap-array',
  ras: 'cxl-ras',
  link: 'cxl-link',
  hdm: 'cxl-hdm-decoder',
  deviceCapArray: 'cxl-dev-cap-array',
  deviceStatus: 'cxl-dev-status',
  mailbox: 'cxl-mailbox',
  mailboxPayload: 'cxl-mailbox-payload',
  memdevStatus: 'cxl-memdev-status',
} as const;

/** DVSEC id → block id. */
export const DVSEC_BLOCK_ID: Readonly<Record<number, string>> = {
  0: 'dvsec-cxl-device',
  2: 'dvsec-non-cxl-function-map',
  3: 'dvsec-port-extensions',
  4: 'dvsec-gpf-port',
  5: 'dvsec-gpf-device',
  7: 'dvsec-flex-bus',
  8: 'dvsec-register-locator',
  9: 'dvsec-mld',
};

export const CAP_BLOCK_ID: Readonly<Record<number, string>> = { 0x01: BLOCK_ID.pmCap, 0x05: BLOCK_ID.msiCap, 0x10: BLOCK_ID.pcieCap, 0x11: BLOCK_ID.msixCap };
export const EXT_CAP_BLOCK_ID: Readonly<Record<number, string>> = { 0x0001: BLOCK_ID.aer, 0x0003: BLOCK_ID.dsn, 0x002e: BLOCK_ID.doe };
export const CMCAP_BLOCK_ID: Readonly<Record<number, string>> = { 2: BLOCK_ID.ras, 4: BLOCK_ID.link, 5: BLOCK_ID.hdm };
export const DEVCAP_BLOCK_ID: Readonly<Record<number, string>> = { 1: BLOCK_ID.deviceStatus, 2: BLOCK_ID.mailbox, 0x4000: BLOCK_ID.memdevStatus };
