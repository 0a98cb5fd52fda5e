// Timestamp command set 03h (CXL 2.0 8.2.9.3): ns since 1970, advancing with the virtual clock.

import { Timestamp } from '../payloads.js';
import { ok, type Handler } from './context.js';

export const getTimestamp: Handler = ({ dev }) => ok(Timestamp.encode({ timestamp: dev.timestamp() }));

export const setTimestamp: Handler = ({ dev }, input) => {
  dev.setTimestamp(Timestamp.decode(input).timestamp);
  return ok();
};
