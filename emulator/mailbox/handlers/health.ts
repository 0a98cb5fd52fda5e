// Health Info and Alerts 42xxh (CXL 2.0 8.2.9.5.3): Get Health Info, Get/Set Alert Configuration,
// Get/Set Shutdown State.

import { ALERT, GetAlertConfigOut, HealthInfo, SetAlertConfigIn, ShutdownState } from '../payloads.js';
import { RC } from '../return-codes.js';
import type { Type3State } from '../state/device-state.js';
import { fail, ok, type Handler } from './context.js';

/** Health Info Media Status (CXL 2.0 8.2.9.5.3.1): 0 normal, 1 not ready, 3 all data lost. */
const HEALTH_MEDIA = { normal: 0, notReady: 1, allDataLost: 3 } as const;
/** Additional Status level encoding: 0 normal, 1 warning, 2 critical. */
const LEVEL = { normal: 0, warning: 1, critical: 2 } as const;
const ALL_ALERTS = ALERT.lifeUsed | ALERT.overTemp | ALERT.underTemp | ALERT.correctedVolatile | ALERT.correctedPersistent;
const SHUTDOWN_DIRTY = 1 << 0;

/** The Health Info payload, also embedded in Memory Module event records. */
export function encodeHealthInfo(dev: Type3State): Uint8Array {
  const h = dev.health;
  const a = dev.alerts;
  const media = dev.healthMediaStatus ?? mediaStatusOf(dev);
  const life =
    h.lifeUsed === 0xff ? LEVEL.normal : h.lifeUsed >= a.lifeUsedCritical ? LEVEL.critical : h.lifeUsed >= a.lifeUsedWarning && a.enabled & ALERT.lifeUsed ? LEVEL.warning : LEVEL.normal;
  const temp =
    h.temperature >= a.overTempCritical || h.temperature <= a.underTempCritical
      ? LEVEL.critical
      : (a.enabled & ALERT.overTemp && h.temperature >= a.overTempWarning) || (a.enabled & ALERT.underTemp && h.temperature <= a.underTempWarning)
        ? LEVEL.warning
        : LEVEL.normal;
  const cve = a.enabled & ALERT.correctedVolatile && h.correctedVolatileErrors >= a.correctedVolatileWarning ? 1 : 0;
  const cpe = a.enabled & ALERT.correctedPersistent && h.correctedPersistentErrors >= a.correctedPersistentWarning ? 1 : 0;
  return HealthInfo.encode({
    healthStatus: h.healthStatus,
    mediaStatus: media,
    additionalStatus: life | (temp << 2) | (cve << 4) | (cpe << 5),
    lifeUsed: h.lifeUsed,
    temperature: h.temperature,
    dirtyShutdownCount: h.dirtyShutdownCount,
    correctedVolatileErrorCount: h.correctedVolatileErrors,
    correctedPersistentErrorCount: h.correctedPersistentErrors,
  });
}

function mediaStatusOf(dev: Type3State): number {
  switch (dev.effectiveMediaState()) {
    case 'not-ready':
      return HEALTH_MEDIA.notReady;
    case 'error':
      return HEALTH_MEDIA.allDataLost;
    default:
      return HEALTH_MEDIA.normal;
  }
}

export const getHealthInfo: Handler = ({ dev }) => ok(encodeHealthInfo(dev));

export const getAlertConfiguration: Handler = ({ dev }) => {
  const a = dev.alerts;
  return ok(
    GetAlertConfigOut.encode({
      validAlerts: a.enabled,
      programmableAlerts: ALL_ALERTS,
      lifeUsedCritical: a.lifeUsedCritical,
      lifeUsedWarning: a.lifeUsedWarning,
      overTempCritical: a.overTempCritical,
      underTempCritical: a.underTempCritical,
      overTempWarning: a.overTempWarning,
      underTempWarning: a.underTempWarning,
      correctedVolatileWarning: a.correctedVolatileWarning,
      correctedPersistentWarning: a.correctedPersistentWarning,
    }),
  );
};

/**
 * Set Alert Configuration (CXL 2.0 8.2.9.5.3.3): for each alert in Valid Actions, Enable Actions says whether it
 * is enabled with the given warning threshold. A warning threshold at or past the critical one is Invalid Input.
 */
export const setAlertConfiguration: Handler = ({ dev }, input) => {
  const s = SetAlertConfigIn.decode(input);
  if (s.validActions & ~ALL_ALERTS || s.enableActions & ~ALL_ALERTS) return fail(RC.invalidInput);
  const a = { ...dev.alerts };
  const enabling = (bit: number) => (s.validActions & bit) !== 0 && (s.enableActions & bit) !== 0;
  if (enabling(ALERT.lifeUsed)) {
    if (s.lifeUsedWarning >= a.lifeUsedCritical) return fail(RC.invalidInput);
    a.lifeUsedWarning = s.lifeUsedWarning;
  }
  if (enabling(ALERT.overTemp)) {
    if (s.overTempWarning >= a.overTempCritical) return fail(RC.invalidInput);
    a.overTempWarning = s.overTempWarning;
  }
  if (enabling(ALERT.underTemp)) {
    if (s.underTempWarning <= a.underTempCritical) return fail(RC.invalidInput);
    a.underTempWarning = s.underTempWarning;
  }
  if (enabling(ALERT.correctedVolatile)) a.correctedVolatileWarning = s.correctedVolatileWarning;
  if (enabling(ALERT.correctedPersistent)) a.correctedPersistentWarning = s.correctedPersistentWarning;
  a.enabled = (a.enabled & ~s.validActions) | (s.validActions & s.enableActions);
  dev.alerts = a;
  return ok();
};

export const getShutdownState: Handler = ({ dev }) => ok(ShutdownState.encode({ state: dev.shutdownDirty ? SHUTDOWN_DIRTY : 0 }));

export const setShutdownState: Handler = ({ dev }, input) => {
  const { state } = ShutdownState.decode(input);
  if (state & ~SHUTDOWN_DIRTY) return fail(RC.invalidInput);
  dev.shutdownDirty = (state & SHUTDOWN_DIRTY) !== 0;
  return ok();
};
