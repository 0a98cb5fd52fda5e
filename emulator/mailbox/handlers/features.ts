// Features command set 05h (r3.0 8.2.9.6; not in CXL 2.0). One real feature: Patrol Scrub Control (r3.1
// 8.2.9.9.11.1), readable as 4 bytes and writable as 2.

import { concatBytes } from '../layout.js';
import {
  GetFeatureIn,
  GetSupportedFeaturesIn,
  GetSupportedFeaturesOut,
  PatrolScrubRead,
  PatrolScrubWrite,
  SetFeatureIn,
  SupportedFeatureEntry,
} from '../payloads.js';
import { EFFECT } from '../effects.js';
import { RC } from '../return-codes.js';
import { PATROL_SCRUB_DEFAULT, PATROL_SCRUB_MIN_CYCLE_HOURS, type PatrolScrubState, type Type3State } from '../state/device-state.js';
import { FEATURE_UUID, uuidBytes, uuidEqual } from '../uuid.js';
import { fail, ok, type Handler } from './context.js';

/** Attribute flags (r3.1 Table 8-97): bit 0 changeable; bit 5 default selection supported. */
const ATTR_CHANGEABLE = 1 << 0;
const ATTR_DEFAULT_SELECTION = 1 << 5;
/** Get Feature selection (r3.1 Table 8-99). */
const SELECTION = { current: 0, default: 1, saved: 2 } as const;
/** Set Feature flags [2:0] transfer action (r3.1 Table 8-101). */
const ACTION = { full: 0, initiate: 1, continue: 2, finish: 3, abort: 4 } as const;
const ACTION_MASK = 0x7;
/** Patrol scrub capability bits: cycle changeable, realtime report capable; flags bit 0 enabled. */
const SCRUB_CYCLE_CHANGEABLE = 1 << 0;
const SCRUB_ENABLED = 1 << 0;

interface FeatureDef {
  uuid: Uint8Array;
  version: number;
  getSize: number;
  setSize: number;
  attributes: number;
  setEffects: number;
  read(dev: Type3State, selection: number): Uint8Array;
  /** Validate and apply a complete write; returns a return code. */
  write(dev: Type3State, data: Uint8Array): number;
}

const scrubBytes = (s: PatrolScrubState) =>
  PatrolScrubRead.encode({
    capabilities: SCRUB_CYCLE_CHANGEABLE,
    cycleHours: s.cycleHours,
    minCycleHours: PATROL_SCRUB_MIN_CYCLE_HOURS,
    flags: s.enabled ? SCRUB_ENABLED : 0,
  });

export const FEATURES: readonly FeatureDef[] = [
  {
    uuid: uuidBytes(FEATURE_UUID.patrolScrub),
    version: 1,
    getSize: PatrolScrubRead.size,
    setSize: PatrolScrubWrite.size,
    attributes: ATTR_CHANGEABLE | ATTR_DEFAULT_SELECTION,
    setEffects: EFFECT.immediateConfigChange,
    read: (dev, selection) => scrubBytes(selection === SELECTION.default ? PATROL_SCRUB_DEFAULT : dev.patrolScrub),
    write(dev, data) {
      const { cycleHours, flags } = PatrolScrubWrite.decode(data);
      if (cycleHours < PATROL_SCRUB_MIN_CYCLE_HOURS) return RC.invalidInput;
      dev.patrolScrub = { cycleHours, enabled: (flags & SCRUB_ENABLED) !== 0 };
      return RC.success;
    },
  },
];

const findFeature = (uuid: Uint8Array) => FEATURES.find((f) => uuidEqual(f.uuid, uuid));

/**
 * Get Supported Features (r3.1 8.2.9.6.1): entries from Start Index, as many as Count bytes allow. A Count too
 * small for the header or a Start Index past the last feature is Invalid Input (as QEMU).
 */
export const getSupportedFeatures: Handler = ({ payloadSize }, input) => {
  const { count, startIndex } = GetSupportedFeaturesIn.decode(input);
  if (count < GetSupportedFeaturesOut.size || startIndex >= FEATURES.length) return fail(RC.invalidInput);
  const room = Math.min(count, payloadSize);
  const fit = Math.max(0, Math.floor((room - GetSupportedFeaturesOut.size) / SupportedFeatureEntry.size));
  const chosen = FEATURES.slice(startIndex, startIndex + fit);
  const entries = chosen.map((f, i) =>
    SupportedFeatureEntry.encode({
      uuid: f.uuid,
      index: startIndex + i,
      getSize: f.getSize,
      setSize: f.setSize,
      attributes: f.attributes,
      getVersion: f.version,
      setVersion: f.version,
      setEffects: f.setEffects,
    }),
  );
  const header = GetSupportedFeaturesOut.encode({ entries: chosen.length, deviceSupported: FEATURES.length });
  return ok(concatBytes([header, ...entries]).subarray(0, Math.max(0, Math.min(count, payloadSize))));
};

/** Get Feature (r3.1 8.2.9.6.2). */
export const getFeature: Handler = ({ dev, payloadSize }, input) => {
  const { uuid, offset, count, selection } = GetFeatureIn.decode(input);
  const f = findFeature(uuid);
  if (f === undefined) return fail(RC.unsupported);
  if (selection !== SELECTION.current && selection !== SELECTION.default) return fail(RC.unsupportedFeatureSelection);
  if (offset >= f.getSize || count > payloadSize) return fail(RC.invalidInput);
  const data = f.read(dev, selection);
  return ok(data.slice(offset, Math.min(f.getSize, offset + count)));
};

/** Set Feature (r3.1 8.2.9.6.3): full transfer, or initiate / continue / finish with an abort. */
export const setFeature: Handler = ({ dev }, input) => {
  const head = SetFeatureIn.decode(input);
  const data = input.subarray(SetFeatureIn.size);
  const f = findFeature(head.uuid);
  const action = head.flags & ACTION_MASK;
  if (action === ACTION.abort) {
    dev.featureTransfer = null;
    return ok();
  }
  if (f === undefined) return fail(RC.unsupported);
  if (!(f.attributes & ATTR_CHANGEABLE)) return fail(RC.unsupported);
  if (head.version !== f.version) return fail(RC.unsupportedFeatureVersion);
  const t = dev.featureTransfer;
  switch (action) {
    case ACTION.full:
      if (t !== null) return fail(RC.featureTransferInProgress);
      if (head.offset !== 0 || data.length !== f.setSize) return fail(RC.invalidInput);
      return { rc: f.write(dev, data), output: new Uint8Array(0) };
    case ACTION.initiate:
      if (t !== null) return fail(RC.featureTransferInProgress);
      if (head.offset !== 0 || data.length > f.setSize) return fail(RC.invalidInput);
      dev.featureTransfer = { uuid: f.uuid, data: new Uint8Array(f.setSize), received: 0 };
      dev.featureTransfer.data.set(data);
      dev.featureTransfer.received = data.length;
      return ok();
    case ACTION.continue:
    case ACTION.finish: {
      if (t === null || !uuidEqual(t.uuid, f.uuid) || head.offset !== t.received) return fail(RC.featureTransferOutOfOrder);
      if (t.received + data.length > f.setSize) return fail(RC.invalidInput);
      t.data.set(data, t.received);
      t.received += data.length;
      if (action === ACTION.continue) return ok();
      dev.featureTransfer = null;
      if (t.received !== f.setSize) return fail(RC.invalidInput);
      return { rc: f.write(dev, t.data), output: new Uint8Array(0) };
    }
    default:
      return fail(RC.invalidInput);
  }
};
