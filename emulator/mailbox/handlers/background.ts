// Request Abort Background Operation 0005h (r3.1 8.2.9.1.5). Not in CXL 2.0: a 2.0 host never sends it, and a
// 2.0 device would answer Unsupported. We implement it because Linux (r3.x drivers) and QEMU use it.

import { RC } from '../return-codes.js';
import { fail, ok, type Handler } from './context.js';

export const requestAbortBackgroundOperation: Handler = ({ dev }) => {
  const rc = dev.background.requestAbort();
  return rc === RC.success ? ok() : fail(rc);
};
