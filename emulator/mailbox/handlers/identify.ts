// Identify Memory Device 4000h (CXL 2.0 8.2.9.5.1.1).
//
// The output is the r3.x 0x45-byte layout (the CXL 2.0 Table 175 0x43-byte layout plus the DC event log size at
// 0x43), as QEMU answers. Linux v6.8-v6.12 asks for sizeof(struct cxl_mbox_identify) = 0x43 (cxlmem.h has no
// dc_event_log_size) and copies min(out, 0x43), so both lengths probe; only the out-of-tree DCD series grows the
// struct to 0x45. A strict CXL 2.0 device would answer 0x43 bytes.

import { asciiField } from '../layout.js';
import { IdentifyMemoryDeviceOut } from '../payloads.js';
import { CAPACITY_UNIT } from '../state/device-state.js';
import { EVENT_LOG, EVENT_LOG_CAPACITY } from '../state/event-logs.js';
import { POISON_LIST_MAX } from '../state/poison-list.js';
import { ok, type Handler } from './context.js';

/** Poison Handling Capabilities: bit 1 = the device can scan media for poison. Injected poison does not persist
 *  across a cold reset on volatile capacity, so bit 0 (injects persistent poison) stays clear. */
export const POISON_HANDLING_CAPS = 1 << 1;

export const identifyMemoryDevice: Handler = ({ dev }) => {
  const c = dev.config;
  const units = (bytes: number) => Math.floor(bytes / CAPACITY_UNIT);
  const profile = dev.profile;
  const logSize = (log: number) => (profile.reportEventLogSizes ? (dev.events.logs[log]?.capacity ?? EVENT_LOG_CAPACITY) : 0);
  // QEMU 7.2 (cmd_identify_memory_device): the CXL 2.0 0x43-byte form, poison and QoS fields left 0.
  const v72 = profile.identify72 === true;
  const out = IdentifyMemoryDeviceOut.encode({
      fwRevision: asciiField(profile.identifyFwRevision ?? dev.firmware.slots[dev.firmware.active - 1] ?? '', 16),
      totalCapacity: units(dev.totalBytes),
      volatileOnlyCapacity: units(c.volatileBytes),
      persistentOnlyCapacity: units(c.persistentBytes),
      // Partition alignment 1 unit (256 MiB) when anything is partitionable, 0 = not partitionable.
      partitionAlignment: c.partitionableBytes > 0 ? 1 : 0,
      informationalEventLogSize: logSize(EVENT_LOG.informational),
      warningEventLogSize: logSize(EVENT_LOG.warning),
      failureEventLogSize: logSize(EVENT_LOG.failure),
      fatalEventLogSize: logSize(EVENT_LOG.fatal),
      lsaSize: c.lsaBytes,
      poisonListMaxRecords: v72 ? 0 : POISON_LIST_MAX,
      injectPoisonLimit: profile.injectPoisonLimit,
      poisonHandlingCaps: v72 ? 0 : POISON_HANDLING_CAPS,
      qosTelemetryCaps: 0,
      dynamicCapacityEventLogSize: profile.dcEventLogSize ?? logSize(EVENT_LOG.dynamicCapacity),
    });
  return ok(v72 || profile.identify20 ? out.subarray(0, 0x43) : out);
};
