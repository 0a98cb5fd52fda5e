// Which access widths and alignments a register block accepts, and what an access it does not accept does.
// The rules are per block kind, as the specifications give them:
//  - PCI config space: 1, 2 or 4 bytes, naturally aligned (PCIe Base 7.2.2: config requests are one dword
//    with byte enables, so a misaligned request cannot be formed; we answer it like an unsupported request).
//  - CXL.cache/mem component registers: a 32-bit register is accessed as 4 bytes, no partial access
//    (CXL 2.0 8.2.2). QEMU logs any other size, reads 0 and drops writes; silicon is allowed to do the same.
//  - CXL device registers: 1, 2, 4 or 8 bytes, naturally aligned (CXL 2.0 8.2.8).

/** Bit set of accepted widths: bit n set means a width of n bytes is accepted (n in 1, 2, 4, 8). */
export type WidthSet = number;

export const W1 = 1 << 1;
export const W2 = 1 << 2;
export const W4 = 1 << 4;
export const W8 = 1 << 8;

export interface AccessRules {
  widths: WidthSet;
  /** Require offset % width === 0. */
  aligned: boolean;
  /** What a rejected read returns: 0 (cache/mem, as QEMU) or all-ones (config space, as an UR completion). */
  badRead: 'zero' | 'ones';
}

export const CFG_RULES: AccessRules = { widths: W1 | W2 | W4, aligned: true, badRead: 'ones' };
/** CXL 2.0 8.2.2: cache/mem registers are 32-bit only. */
export const CACHEMEM_RULES: AccessRules = { widths: W4, aligned: true, badRead: 'zero' };
/** CXL 2.0 8.2.8: device registers take 1/2/4/8-byte naturally aligned accesses. */
export const DEVICE_RULES: AccessRules = { widths: W1 | W2 | W4 | W8, aligned: true, badRead: 'zero' };
/** Plain MMIO (MSI-X table: PCIe Base 6.8.2 allows dword and qword accesses). */
export const MSIX_RULES: AccessRules = { widths: W4 | W8, aligned: true, badRead: 'zero' };

export const accepts = (rules: AccessRules, offset: number, width: number): boolean =>
  (rules.widths & (1 << width)) !== 0 && (!rules.aligned || (offset & (width - 1)) === 0);
