// Logs command set 04h (CXL 2.0 8.2.9.4): the Command Effects Log is the one log this device keeps.

import { concatBytes } from '../layout.js';
import { GetLogIn, GetSupportedLogsOut, SupportedLogEntry } from '../payloads.js';
import { RC } from '../return-codes.js';
import { LOG_UUID, uuidBytes, uuidEqual } from '../uuid.js';
import { fail, ok, type Handler } from './context.js';

const CEL_UUID = uuidBytes(LOG_UUID.cel);

export const getSupportedLogs: Handler = ({ cel }) =>
  ok(
    concatBytes([
      GetSupportedLogsOut.encode({ entryCount: 1 }),
      SupportedLogEntry.encode({ uuid: CEL_UUID, size: cel.length }),
    ]),
  );

/** Get Log (CXL 2.0 8.2.9.4.2): offset + length must lie within the log and the payload. */
export const getLog: Handler = ({ cel, payloadSize }, input) => {
  const { uuid, offset, length } = GetLogIn.decode(input);
  if (!uuidEqual(uuid, CEL_UUID)) return fail(RC.invalidLog);
  if (length > payloadSize || offset + length > cel.length) return fail(RC.invalidInput);
  return ok(cel.slice(offset, offset + length));
};
