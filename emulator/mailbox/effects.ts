// Command Effect bits of a CEL entry (CXL 2.0 8.2.9.4.2.1; r3.1 Table 8-75). Bit 7/8 follow the spec, not QEMU
// (QEMU reports "abortable" in bit 7; qemu-cxl.md section 4d).

export const EFFECT = {
  configChangeColdReset: 1 << 0,
  immediateConfigChange: 1 << 1,
  immediateDataChange: 1 << 2,
  immediatePolicyChange: 1 << 3,
  immediateLogChange: 1 << 4,
  securityStateChange: 1 << 5,
  backgroundOperation: 1 << 6,
  secondaryMailboxSupported: 1 << 7,
  /** r3.1: Request Abort Background Operation supported (only meaningful with backgroundOperation). */
  abortSupported: 1 << 8,
  /** r3.1: bits 10 and 11 are valid. */
  resetEffectsValid: 1 << 9,
  configChangeConventionalReset: 1 << 10,
  configChangeCxlReset: 1 << 11,
} as const;
