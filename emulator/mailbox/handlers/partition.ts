// Get / Set Partition Info 4100h / 4101h (CXL 2.0 8.2.9.5.2.1-2). Volatile capacity starts at DPA 0 and
// persistent follows it. Set Partition Info names how much of the partitionable capacity becomes volatile;
// without the Immediate flag the change waits for the next reset and shows as the Next values meanwhile.

import { GetPartitionInfoOut, PARTITION_IMMEDIATE, SetPartitionInfoIn } from '../payloads.js';
import { RC } from '../return-codes.js';
import { CAPACITY_UNIT } from '../state/device-state.js';
import { fail, ok, type Handler } from './context.js';

export const getPartitionInfo: Handler = ({ dev }) => {
  const units = (bytes: number) => Math.floor(bytes / CAPACITY_UNIT);
  const next = dev.nextPartitionVolatile;
  const nextVolatile = next === null ? 0 : dev.config.volatileBytes + next;
  return ok(
    GetPartitionInfoOut.encode({
      activeVolatile: units(dev.volatileBytes),
      activePersistent: units(dev.persistentBytes),
      nextVolatile: next === null ? 0 : units(nextVolatile),
      nextPersistent: next === null ? 0 : units(dev.totalBytes - nextVolatile),
    }),
  );
};

export const setPartitionInfo: Handler = ({ dev }, input) => {
  const { volatileCapacity, flags } = SetPartitionInfoIn.decode(input);
  const partitionable = dev.config.partitionableBytes;
  if (partitionable === 0) return fail(RC.unsupported);
  const bytes = volatileCapacity * CAPACITY_UNIT;
  // Partition alignment is one capacity unit, so any whole number of units up to the partitionable size is valid.
  if (!Number.isSafeInteger(bytes) || bytes > partitionable) return fail(RC.invalidInput);
  if (dev.security.locked) return fail(RC.invalidSecurityState);
  if (flags & PARTITION_IMMEDIATE) {
    dev.applyPartition(bytes);
    dev.nextPartitionVolatile = null;
  } else {
    dev.nextPartitionVolatile = bytes === dev.partitionVolatile ? null : bytes;
  }
  return ok();
};
