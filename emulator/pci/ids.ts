// PCI / PCIe identifiers used by the capability builders (PCI Code and ID Assignment Spec; PCIe Base 7.x).

/** Capability IDs (PCI Code and ID Assignment 2). */
export const CAP_ID = { pm: 0x01, msi: 0x05, pcie: 0x10, msix: 0x11 } as const;

/** Extended capability IDs (PCI Code and ID Assignment 3). */
export const EXT_CAP_ID = { aer: 0x0001, dsn: 0x0003, dvsec: 0x0023, doe: 0x002e } as const;

/** PCIe Capability Device/Port Type (PCIe Base 7.5.3.2). */
export const PORT_TYPE = { endpoint: 0x0, rootPort: 0x4, switchUp: 0x5, switchDown: 0x6 } as const;

/** Link speed encodings (PCIe Base 7.5.3.6): 1 = 2.5 GT/s … 6 = 64 GT/s. */
export const LINK_SPEED_GTS: Readonly<Record<number, string>> = { 1: '2.5 GT/s', 2: '5 GT/s', 3: '8 GT/s', 4: '16 GT/s', 5: '32 GT/s', 6: '64 GT/s' };

/** Header offsets of the type-0 configuration header (PCIe Base 7.5.1). */
export const CFG = { vendorId: 0x00, command: 0x04, status: 0x06, classCode: 0x09, bar0: 0x10, capPtr: 0x34 } as const;
