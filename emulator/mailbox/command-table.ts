// The Type 3 command set as data: one row per command (as QEMU's cxl_cmd_set table and CXL 2.0 8.2.9.5).
// Dispatch (dispatch.ts) checks the input length, media state and background rules from these rows once for all
// commands, and the Command Effects Log (cel.ts) is generated from the same rows.

import { EFFECT as E } from './effects.js';
import type { Handler } from './handlers/context.js';
import { requestAbortBackgroundOperation } from './handlers/background.js';
import { clearEventRecords, getEventInterruptPolicy, getEventRecords, setEventInterruptPolicy } from './handlers/events.js';
import { getFeature, getSupportedFeatures, setFeature } from './handlers/features.js';
import { activateFw, getFwInfo, transferFw } from './handlers/firmware.js';
import {
  getAlertConfiguration,
  getHealthInfo,
  getShutdownState,
  setAlertConfiguration,
  setShutdownState,
} from './handlers/health.js';
import { identifyMemoryDevice } from './handlers/identify.js';
import { getLog, getSupportedLogs } from './handlers/logs.js';
import { getLsa, setLsa } from './handlers/lsa.js';
import { getPartitionInfo, setPartitionInfo } from './handlers/partition.js';
import {
  clearPoison,
  getPoisonList,
  getScanMediaCapabilities,
  getScanMediaResults,
  injectPoison,
  scanMedia,
} from './handlers/poison.js';
import { sanitize, secureErase } from './handlers/sanitize.js';
import {
  disablePassphrase,
  freezeSecurityState,
  getSecurityState,
  passphraseSecureErase,
  setPassphrase,
  unlock,
} from './handlers/security.js';
import { getTimestamp, setTimestamp } from './handlers/timestamp.js';
import { OP } from './opcodes.js';
import {
  ActivateFwIn,
  ClearEventRecordsIn,
  ClearPoisonIn,
  EventInterruptPolicy,
  GetEventRecordsIn,
  GetFeatureIn,
  GetLogIn,
  GetLsaIn,
  GetPoisonListIn,
  GetSupportedFeaturesIn,
  InjectPoisonIn,
  PassphraseIn,
  ScanMediaIn,
  ScanMediaRangeIn,
  SetAlertConfigIn,
  SetFeatureIn,
  SetLsaIn,
  SetPartitionInfoIn,
  SetPassphraseIn,
  ShutdownState,
  Timestamp,
  TransferFwIn,
  UnlockIn,
} from './payloads.js';

/** How long an input payload must be: exactly, at least, between, or anything up to the payload size. */
export type InputRule =
  | { kind: 'fixed'; bytes: number }
  | { kind: 'min'; bytes: number }
  | { kind: 'range'; bytes: number; max: number }
  | { kind: 'variable' };

export interface CommandDef {
  opcode: number;
  name: string;
  input: InputRule;
  /** CEL Command Effect bits (CXL 2.0 8.2.9.4.2.1). `E.backgroundOperation` marks background commands. */
  effects: number;
  /** 'rejected': Media Disabled while the media is disabled (the command needs the media). */
  mediaDisabled: 'allowed' | 'rejected';
  /** 'busy': Busy while a background operation runs. Background commands are always Busy then. */
  duringBackground: 'allowed' | 'busy';
  handler: Handler;
}

const fixed = (bytes: number): InputRule => ({ kind: 'fixed', bytes });
const min = (bytes: number): InputRule => ({ kind: 'min', bytes });
const between = (bytes: number, max: number): InputRule => ({ kind: 'range', bytes, max });
const NONE = fixed(0);

type Row = [opcode: number, name: string, input: InputRule, effects: number, mediaDisabled: 'allowed' | 'rejected', duringBackground: 'allowed' | 'busy', handler: Handler];

// prettier-ignore
const ROWS: Row[] = [
  [OP.requestAbortBackgroundOperation, 'Request Abort Background Operation', NONE, 0, 'allowed', 'allowed', requestAbortBackgroundOperation],
  [OP.getEventRecords, 'Get Event Records', fixed(GetEventRecordsIn.size), 0, 'allowed', 'allowed', getEventRecords],
  [OP.clearEventRecords, 'Clear Event Records', min(ClearEventRecordsIn.size), E.immediateLogChange, 'allowed', 'allowed', clearEventRecords],
  [OP.getEventInterruptPolicy, 'Get Event Interrupt Policy', NONE, 0, 'allowed', 'allowed', getEventInterruptPolicy],
  [OP.setEventInterruptPolicy, 'Set Event Interrupt Policy', between(4, EventInterruptPolicy.size), E.immediateConfigChange, 'allowed', 'allowed', setEventInterruptPolicy],
  [OP.getFwInfo, 'Get FW Info', NONE, 0, 'allowed', 'allowed', getFwInfo],
  [OP.transferFw, 'Transfer FW', min(TransferFwIn.size), E.configChangeColdReset, 'rejected', 'busy', transferFw],
  [OP.activateFw, 'Activate FW', fixed(ActivateFwIn.size), E.configChangeColdReset | E.immediateConfigChange, 'rejected', 'busy', activateFw],
  [OP.getTimestamp, 'Get Timestamp', NONE, 0, 'allowed', 'allowed', getTimestamp],
  [OP.setTimestamp, 'Set Timestamp', fixed(Timestamp.size), E.immediatePolicyChange, 'allowed', 'allowed', setTimestamp],
  [OP.getSupportedLogs, 'Get Supported Logs', NONE, 0, 'allowed', 'allowed', getSupportedLogs],
  [OP.getLog, 'Get Log', fixed(GetLogIn.size), 0, 'allowed', 'allowed', getLog],
  [OP.getSupportedFeatures, 'Get Supported Features', fixed(GetSupportedFeaturesIn.size), 0, 'allowed', 'allowed', getSupportedFeatures],
  [OP.getFeature, 'Get Feature', fixed(GetFeatureIn.size), 0, 'allowed', 'allowed', getFeature],
  [OP.setFeature, 'Set Feature', min(SetFeatureIn.size), E.immediateConfigChange | E.immediatePolicyChange, 'allowed', 'busy', setFeature],
  [OP.identifyMemoryDevice, 'Identify Memory Device', NONE, 0, 'allowed', 'allowed', identifyMemoryDevice],
  [OP.getPartitionInfo, 'Get Partition Info', NONE, 0, 'allowed', 'allowed', getPartitionInfo],
  [OP.setPartitionInfo, 'Set Partition Info', fixed(SetPartitionInfoIn.size), E.configChangeColdReset | E.immediateConfigChange | E.immediateDataChange | E.resetEffectsValid | E.configChangeConventionalReset, 'rejected', 'busy', setPartitionInfo],
  [OP.getLsa, 'Get LSA', fixed(GetLsaIn.size), 0, 'rejected', 'allowed', getLsa],
  [OP.setLsa, 'Set LSA', min(SetLsaIn.size), E.immediateConfigChange | E.immediateDataChange, 'rejected', 'busy', setLsa],
  [OP.getHealthInfo, 'Get Health Info', NONE, 0, 'allowed', 'allowed', getHealthInfo],
  [OP.getAlertConfiguration, 'Get Alert Configuration', NONE, 0, 'allowed', 'allowed', getAlertConfiguration],
  [OP.setAlertConfiguration, 'Set Alert Configuration', fixed(SetAlertConfigIn.size), E.immediatePolicyChange, 'allowed', 'allowed', setAlertConfiguration],
  [OP.getShutdownState, 'Get Shutdown State', NONE, 0, 'allowed', 'allowed', getShutdownState],
  [OP.setShutdownState, 'Set Shutdown State', fixed(ShutdownState.size), E.immediatePolicyChange, 'allowed', 'allowed', setShutdownState],
  [OP.getPoisonList, 'Get Poison List', fixed(GetPoisonListIn.size), 0, 'rejected', 'allowed', getPoisonList],
  [OP.injectPoison, 'Inject Poison', fixed(InjectPoisonIn.size), E.immediateDataChange, 'rejected', 'busy', injectPoison],
  [OP.clearPoison, 'Clear Poison', fixed(ClearPoisonIn.size), E.immediateDataChange, 'rejected', 'busy', clearPoison],
  [OP.getScanMediaCapabilities, 'Get Scan Media Capabilities', fixed(ScanMediaRangeIn.size), 0, 'rejected', 'allowed', getScanMediaCapabilities],
  [OP.scanMedia, 'Scan Media', fixed(ScanMediaIn.size), E.backgroundOperation | E.abortSupported, 'rejected', 'busy', scanMedia],
  [OP.getScanMediaResults, 'Get Scan Media Results', NONE, 0, 'rejected', 'busy', getScanMediaResults],
  [OP.sanitize, 'Sanitize', NONE, E.immediateDataChange | E.securityStateChange | E.backgroundOperation | E.abortSupported, 'allowed', 'busy', sanitize],
  [OP.secureErase, 'Secure Erase', NONE, E.immediateDataChange | E.securityStateChange | E.backgroundOperation, 'rejected', 'busy', secureErase],
  [OP.getSecurityState, 'Get Security State', NONE, 0, 'allowed', 'allowed', getSecurityState],
  [OP.setPassphrase, 'Set Passphrase', fixed(SetPassphraseIn.size), E.securityStateChange, 'allowed', 'busy', setPassphrase],
  [OP.disablePassphrase, 'Disable Passphrase', fixed(PassphraseIn.size), E.securityStateChange, 'allowed', 'busy', disablePassphrase],
  [OP.unlock, 'Unlock', fixed(UnlockIn.size), E.securityStateChange, 'allowed', 'busy', unlock],
  [OP.freezeSecurityState, 'Freeze Security State', NONE, E.securityStateChange, 'allowed', 'busy', freezeSecurityState],
  [OP.passphraseSecureErase, 'Passphrase Secure Erase', fixed(PassphraseIn.size), E.securityStateChange | E.immediateDataChange, 'rejected', 'busy', passphraseSecureErase],
];

/** The command set, ascending by opcode. */
export const TYPE3_COMMANDS: readonly CommandDef[] = ROWS.map(
  ([opcode, name, input, effects, mediaDisabled, duringBackground, handler]) => ({
    opcode,
    name,
    input,
    effects,
    mediaDisabled,
    duringBackground,
    handler,
  }),
).sort((a, b) => a.opcode - b.opcode);

export const commandByOpcode = (table: readonly CommandDef[]): ReadonlyMap<number, CommandDef> =>
  new Map(table.map((c) => [c.opcode, c]));
