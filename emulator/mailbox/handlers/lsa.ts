// Get / Set LSA 4102h / 4103h (CXL 2.0 8.2.9.5.2.3-4): offset + length within the Label Storage Area, else
// Invalid Input.

import { GetLsaIn, SetLsaIn } from '../payloads.js';
import { RC } from '../return-codes.js';
import { fail, ok, type Handler } from './context.js';

export const getLsa: Handler = ({ dev, payloadSize }, input) => {
  const { offset, length } = GetLsaIn.decode(input);
  if (offset + length > dev.lsa.length || length > payloadSize) return fail(RC.invalidInput);
  return ok(dev.lsa.slice(offset, offset + length));
};

export const setLsa: Handler = ({ dev }, input) => {
  const { offset } = SetLsaIn.decode(input);
  const data = input.subarray(SetLsaIn.size);
  if (offset + data.length > dev.lsa.length) return fail(RC.invalidInput);
  dev.lsa.set(data, offset);
  return ok();
};
