// One typed layout per mailbox payload (CXL 2.0 8.2.9, r3.1 8.2.9 table numbers in comments). Handlers decode
// inputs and encode outputs only through these.

import { defineLayout } from './layout.js';

/** 0100h Get Event Records input (CXL 2.0 8.2.9.1.2). */
export const GetEventRecordsIn = defineLayout(1, { log: [0, 'u8'] });

/** 0100h Get Event Records output header; records follow at 0x20 (CXL 2.0 8.2.9.1.2). */
export const GetEventRecordsOut = defineLayout(0x20, {
  flags: [0x00, 'u8'],
  overflowErrorCount: [0x02, 'u16'],
  firstOverflowTimestamp: [0x04, 'u64n'],
  lastOverflowTimestamp: [0x0c, 'u64n'],
  recordCount: [0x14, 'u16'],
});
export const EVENT_FLAG_OVERFLOW = 1 << 0;
export const EVENT_FLAG_MORE = 1 << 1;

/** 0101h Clear Event Records input header; handles (u16 each) follow at 6 (CXL 2.0 8.2.9.1.3). */
export const ClearEventRecordsIn = defineLayout(6, {
  log: [0, 'u8'],
  flags: [1, 'u8'],
  handleCount: [2, 'u8'],
});
export const CLEAR_EVENTS_ALL = 1 << 0;

/** Common Event Record (CXL 2.0 8.2.9.1.1; r3.1 Table 8-43), 0x80 bytes; record-specific data at 0x30. */
export const EVENT_RECORD_SIZE = 0x80;
export const EventRecordHeader = defineLayout(0x30, {
  uuid: [0x00, 'bytes', 16],
  length: [0x10, 'u8'],
  flags: [0x11, 'u24'],
  handle: [0x14, 'u16'],
  relatedHandle: [0x16, 'u16'],
  timestamp: [0x18, 'u64n'],
  maintenanceOpClass: [0x20, 'u8'],
});

/** General Media Event Record body (CXL 2.0 8.2.9.1.1.1; r3.1 Table 8-45), offsets from record start. */
export const GeneralMediaBody = defineLayout(EVENT_RECORD_SIZE, {
  physicalAddress: [0x30, 'u64'],
  descriptor: [0x38, 'u8'],
  type: [0x39, 'u8'],
  transactionType: [0x3a, 'u8'],
  validityFlags: [0x3b, 'u16'],
  channel: [0x3d, 'u8'],
  rank: [0x3e, 'u8'],
  device: [0x3f, 'u24'],
  componentId: [0x42, 'bytes', 16],
});

/** DRAM Event Record body (CXL 2.0 8.2.9.1.1.2; r3.1 Table 8-46). */
export const DramBody = defineLayout(EVENT_RECORD_SIZE, {
  physicalAddress: [0x30, 'u64'],
  descriptor: [0x38, 'u8'],
  type: [0x39, 'u8'],
  transactionType: [0x3a, 'u8'],
  validityFlags: [0x3b, 'u16'],
  channel: [0x3d, 'u8'],
  rank: [0x3e, 'u8'],
  nibbleMask: [0x3f, 'u24'],
  bankGroup: [0x42, 'u8'],
  bank: [0x43, 'u8'],
  row: [0x44, 'u24'],
  column: [0x47, 'u16'],
  correctionMask: [0x49, 'bytes', 32],
});

/** Get Health Info output (CXL 2.0 8.2.9.5.3.1; r3.1 Table 8-133); also embedded in Memory Module records. */
export const HEALTH_INFO_SIZE = 0x12;
export const HealthInfo = defineLayout(HEALTH_INFO_SIZE, {
  healthStatus: [0x00, 'u8'],
  mediaStatus: [0x01, 'u8'],
  additionalStatus: [0x02, 'u8'],
  lifeUsed: [0x03, 'u8'],
  temperature: [0x04, 's16'],
  dirtyShutdownCount: [0x06, 'u32'],
  correctedVolatileErrorCount: [0x0a, 'u32'],
  correctedPersistentErrorCount: [0x0e, 'u32'],
});

/** Memory Module Event Record body (CXL 2.0 8.2.9.1.1.3; r3.1 Table 8-47): event type, then health info. */
export const MemoryModuleBody = defineLayout(EVENT_RECORD_SIZE, {
  eventType: [0x30, 'u8'],
  healthInfo: [0x31, 'bytes', HEALTH_INFO_SIZE],
});

/** 0102h/0103h Event Interrupt Policy: one settings byte per log (CXL 2.0 8.2.9.1.4-5; r3.x adds DCD). */
export const EventInterruptPolicy = defineLayout(5, {
  informational: [0, 'u8'],
  warning: [1, 'u8'],
  failure: [2, 'u8'],
  fatal: [3, 'u8'],
  dynamicCapacity: [4, 'u8'],
});

/** 0200h Get FW Info output (CXL 2.0 8.2.9.2.1). */
export const GetFwInfoOut = defineLayout(0x50, {
  slotsSupported: [0x00, 'u8'],
  slotInfo: [0x01, 'u8'],
  activationCaps: [0x02, 'u8'],
  slot1Revision: [0x10, 'bytes', 16],
  slot2Revision: [0x20, 'bytes', 16],
  slot3Revision: [0x30, 'bytes', 16],
  slot4Revision: [0x40, 'bytes', 16],
});

/** 0201h Transfer FW input header; data at 0x80; offset in 128-byte units (CXL 2.0 8.2.9.2.2). */
export const TransferFwIn = defineLayout(0x80, {
  action: [0x00, 'u8'],
  slot: [0x01, 'u8'],
  offset: [0x04, 'u32'],
});
export const FW_TRANSFER_UNIT = 128;

/** 0202h Activate FW input (CXL 2.0 8.2.9.2.3). */
export const ActivateFwIn = defineLayout(2, { action: [0, 'u8'], slot: [1, 'u8'] });

/** 0300h/0301h timestamp: ns since 1970-01-01 UTC (CXL 2.0 8.2.9.3). */
export const Timestamp = defineLayout(8, { timestamp: [0, 'u64n'] });

/** 0400h Get Supported Logs output header and entries (CXL 2.0 8.2.9.4.1). */
export const GetSupportedLogsOut = defineLayout(8, { entryCount: [0, 'u16'] });
export const SupportedLogEntry = defineLayout(0x14, { uuid: [0, 'bytes', 16], size: [0x10, 'u32'] });

/** 0401h Get Log input (CXL 2.0 8.2.9.4.2). */
export const GetLogIn = defineLayout(0x18, { uuid: [0, 'bytes', 16], offset: [0x10, 'u32'], length: [0x14, 'u32'] });

/** CEL entry (CXL 2.0 8.2.9.4.2.1). */
export const CelEntry = defineLayout(4, { opcode: [0, 'u16'], effects: [2, 'u16'] });

/** 0500h Get Supported Features (r3.1 Tables 8-95..8-97). */
export const GetSupportedFeaturesIn = defineLayout(8, { count: [0, 'u32'], startIndex: [4, 'u16'] });
export const GetSupportedFeaturesOut = defineLayout(8, { entries: [0, 'u16'], deviceSupported: [2, 'u16'] });
export const SupportedFeatureEntry = defineLayout(0x30, {
  uuid: [0x00, 'bytes', 16],
  index: [0x10, 'u16'],
  getSize: [0x12, 'u16'],
  setSize: [0x14, 'u16'],
  attributes: [0x16, 'u32'],
  getVersion: [0x1a, 'u8'],
  setVersion: [0x1b, 'u8'],
  setEffects: [0x1c, 'u16'],
});

/** 0501h Get Feature input (r3.1 Table 8-99). */
export const GetFeatureIn = defineLayout(0x15, {
  uuid: [0x00, 'bytes', 16],
  offset: [0x10, 'u16'],
  count: [0x12, 'u16'],
  selection: [0x14, 'u8'],
});

/** 0502h Set Feature input header; data at 0x20 (r3.1 Table 8-101). */
export const SetFeatureIn = defineLayout(0x20, {
  uuid: [0x00, 'bytes', 16],
  flags: [0x10, 'u32'],
  offset: [0x14, 'u16'],
  version: [0x16, 'u8'],
});

/** Patrol Scrub feature data (r3.1 Tables 8-208/8-209): readable 4 bytes, writable 2 bytes. */
export const PatrolScrubRead = defineLayout(4, {
  capabilities: [0, 'u8'],
  cycleHours: [1, 'u8'],
  minCycleHours: [2, 'u8'],
  flags: [3, 'u8'],
});
export const PatrolScrubWrite = defineLayout(2, { cycleHours: [0, 'u8'], flags: [1, 'u8'] });

/** 4000h Identify Memory Device output (CXL 2.0 8.2.9.5.1.1; r3.x appends the DC event log size at 0x43). */
export const IdentifyMemoryDeviceOut = defineLayout(0x45, {
  fwRevision: [0x00, 'bytes', 16],
  totalCapacity: [0x10, 'u64'],
  volatileOnlyCapacity: [0x18, 'u64'],
  persistentOnlyCapacity: [0x20, 'u64'],
  partitionAlignment: [0x28, 'u64'],
  informationalEventLogSize: [0x30, 'u16'],
  warningEventLogSize: [0x32, 'u16'],
  failureEventLogSize: [0x34, 'u16'],
  fatalEventLogSize: [0x36, 'u16'],
  lsaSize: [0x38, 'u32'],
  poisonListMaxRecords: [0x3c, 'u24'],
  injectPoisonLimit: [0x3f, 'u16'],
  poisonHandlingCaps: [0x41, 'u8'],
  qosTelemetryCaps: [0x42, 'u8'],
  dynamicCapacityEventLogSize: [0x43, 'u16'],
});

/** 4100h Get Partition Info output, 256 MiB units (CXL 2.0 8.2.9.5.2.1). */
export const GetPartitionInfoOut = defineLayout(0x20, {
  activeVolatile: [0x00, 'u64'],
  activePersistent: [0x08, 'u64'],
  nextVolatile: [0x10, 'u64'],
  nextPersistent: [0x18, 'u64'],
});

/** 4101h Set Partition Info input (CXL 2.0 8.2.9.5.2.2). */
export const SetPartitionInfoIn = defineLayout(9, { volatileCapacity: [0, 'u64'], flags: [8, 'u8'] });
export const PARTITION_IMMEDIATE = 1 << 0;

/** 4102h Get LSA input (CXL 2.0 8.2.9.5.2.3). */
export const GetLsaIn = defineLayout(8, { offset: [0, 'u32'], length: [4, 'u32'] });
/** 4103h Set LSA input header; data at 8 (CXL 2.0 8.2.9.5.2.4). */
export const SetLsaIn = defineLayout(8, { offset: [0, 'u32'] });

/** 4201h Get Alert Configuration output (CXL 2.0 8.2.9.5.3.2). */
export const GetAlertConfigOut = defineLayout(0x10, {
  validAlerts: [0x00, 'u8'],
  programmableAlerts: [0x01, 'u8'],
  lifeUsedCritical: [0x02, 'u8'],
  lifeUsedWarning: [0x03, 'u8'],
  overTempCritical: [0x04, 's16'],
  underTempCritical: [0x06, 's16'],
  overTempWarning: [0x08, 's16'],
  underTempWarning: [0x0a, 's16'],
  correctedVolatileWarning: [0x0c, 'u16'],
  correctedPersistentWarning: [0x0e, 'u16'],
});

/** 4202h Set Alert Configuration input (CXL 2.0 8.2.9.5.3.3). */
export const SetAlertConfigIn = defineLayout(0x0c, {
  validActions: [0x00, 'u8'],
  enableActions: [0x01, 'u8'],
  lifeUsedWarning: [0x02, 'u8'],
  overTempWarning: [0x04, 's16'],
  underTempWarning: [0x06, 's16'],
  correctedVolatileWarning: [0x08, 'u16'],
  correctedPersistentWarning: [0x0a, 'u16'],
});
/** Alert bits shared by valid/programmable alerts and the valid/enable actions (CXL 2.0 8.2.9.5.3.2). */
export const ALERT = {
  lifeUsed: 1 << 0,
  overTemp: 1 << 1,
  underTemp: 1 << 2,
  correctedVolatile: 1 << 3,
  correctedPersistent: 1 << 4,
} as const;

/** 4203h/4204h Shutdown State (CXL 2.0 8.2.9.5.3.4-5). */
export const ShutdownState = defineLayout(1, { state: [0, 'u8'] });

/** 4300h Get Poison List input (CXL 2.0 8.2.9.5.4.1): DPA (bits 5:0 reserved), length in 64-byte units. */
export const GetPoisonListIn = defineLayout(0x10, { address: [0x00, 'u64'], length: [0x08, 'u64'] });
/** 4300h output header; Media Error Records at 0x20 (CXL 2.0 8.2.9.5.4.1). */
export const GetPoisonListOut = defineLayout(0x20, {
  flags: [0x00, 'u8'],
  overflowTimestamp: [0x02, 'u64n'],
  recordCount: [0x0a, 'u16'],
});
export const POISON_FLAG_MORE = 1 << 0;
export const POISON_FLAG_OVERFLOW = 1 << 1;
export const POISON_FLAG_SCAN_IN_PROGRESS = 1 << 2;

/** Media Error Record (CXL 2.0 8.2.9.5.4.1): address [2:0] source, DPA[63:6]; length in 64-byte units. */
export const MediaErrorRecord = defineLayout(0x10, { address: [0x00, 'u64'], length: [0x08, 'u32'] });

/** 4301h Inject Poison input (CXL 2.0 8.2.9.5.4.2). */
export const InjectPoisonIn = defineLayout(8, { address: [0, 'u64'] });
/** 4302h Clear Poison input (CXL 2.0 8.2.9.5.4.3). */
export const ClearPoisonIn = defineLayout(0x48, { address: [0, 'u64'], data: [8, 'bytes', 64] });

/** 4303h Get Scan Media Capabilities (CXL 2.0 8.2.9.5.4.4). */
export const ScanMediaRangeIn = defineLayout(0x10, { address: [0, 'u64'], length: [8, 'u64'] });
export const GetScanMediaCapsOut = defineLayout(4, { estimatedMs: [0, 'u32'] });
/** 4304h Scan Media input (CXL 2.0 8.2.9.5.4.5). */
export const ScanMediaIn = defineLayout(0x11, { address: [0, 'u64'], length: [8, 'u64'], flags: [0x10, 'u8'] });
export const SCAN_NO_EVENT_LOG = 1 << 0;
/** 4305h Get Scan Media Results output header; records at 0x20 (CXL 2.0 8.2.9.5.4.6). */
export const GetScanMediaResultsOut = defineLayout(0x20, {
  restartAddress: [0x00, 'u64'],
  restartLength: [0x08, 'u64'],
  flags: [0x10, 'u8'],
  recordCount: [0x12, 'u16'],
});
export const SCAN_RESULTS_MORE = 1 << 0;
export const SCAN_RESULTS_STOPPED_PREMATURELY = 1 << 1;

/** 4500h Get Security State output (CXL 2.0 8.2.9.5.6.1). */
export const SecurityStateOut = defineLayout(4, { state: [0, 'u32'] });
export const SECURITY = {
  userPassphraseSet: 1 << 0,
  masterPassphraseSet: 1 << 1,
  locked: 1 << 2,
  frozen: 1 << 3,
  userAttemptLimit: 1 << 4,
  masterAttemptLimit: 1 << 5,
} as const;
export const PASSPHRASE_BYTES = 32;
/** 4501h Set Passphrase input (CXL 2.0 8.2.9.5.6.2). */
export const SetPassphraseIn = defineLayout(0x60, {
  type: [0x00, 'u8'],
  current: [0x20, 'bytes', PASSPHRASE_BYTES],
  next: [0x40, 'bytes', PASSPHRASE_BYTES],
});
/** 4502h Disable Passphrase and 4505h Passphrase Secure Erase input (CXL 2.0 8.2.9.5.6.3, 8.2.9.5.6.6). */
export const PassphraseIn = defineLayout(0x40, { type: [0x00, 'u8'], passphrase: [0x20, 'bytes', PASSPHRASE_BYTES] });
/** 4503h Unlock input (CXL 2.0 8.2.9.5.6.4). */
export const UnlockIn = defineLayout(0x20, { passphrase: [0, 'bytes', PASSPHRASE_BYTES] });
export const PASSPHRASE_TYPE = { master: 0, user: 1 } as const;
