// Mailbox return codes (CXL 2.0 Table 150; r3.1 Table 8-34 adds 0x16 and above).

export const RC = {
  success: 0x0000,
  backgroundStarted: 0x0001,
  invalidInput: 0x0002,
  unsupported: 0x0003,
  internalError: 0x0004,
  retryRequired: 0x0005,
  busy: 0x0006,
  mediaDisabled: 0x0007,
  fwTransferInProgress: 0x0008,
  fwTransferOutOfOrder: 0x0009,
  fwVerificationFailed: 0x000a,
  invalidSlot: 0x000b,
  activationFailedRolledBack: 0x000c,
  activationFailedColdReset: 0x000d,
  invalidHandle: 0x000e,
  invalidPhysicalAddress: 0x000f,
  injectPoisonLimitReached: 0x0010,
  permanentMediaFailure: 0x0011,
  aborted: 0x0012,
  invalidSecurityState: 0x0013,
  incorrectPassphrase: 0x0014,
  unsupportedMailbox: 0x0015,
  /** r3.0+: a payload length the command does not accept. */
  invalidPayloadLength: 0x0016,
  /** r3.0+: Get Log with an unknown log UUID. */
  invalidLog: 0x0017,
  interrupted: 0x0018,
  unsupportedFeatureVersion: 0x0019,
  unsupportedFeatureSelection: 0x001a,
  featureTransferInProgress: 0x001b,
  featureTransferOutOfOrder: 0x001c,
  resourcesExhausted: 0x001d,
  invalidExtentList: 0x001e,
  transferOutOfOrder: 0x001f,
  /** r3.1: Request Abort Background Operation on an operation that cannot be aborted. */
  abortNotSupported: 0x0020,
} as const;

export type ReturnCode = (typeof RC)[keyof typeof RC];

const NAMES = new Map<number, string>(Object.entries(RC).map(([k, v]) => [v, k]));

/** Short name for logs and the mailbox console ("invalidInput"), or hex for codes we do not define. */
export const returnCodeName = (rc: number): string => NAMES.get(rc) ?? `0x${rc.toString(16).padStart(4, '0')}`;

export const isDefinedReturnCode = (rc: number): boolean => NAMES.has(rc);
