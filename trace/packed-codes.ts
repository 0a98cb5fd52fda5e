// The one-number form of an event's small attributes, used by TraceBuffer's code column and by the chunk codec.
// Codes are the indices of common/access.ts SPACES / REGIONS / OPS / STATUSES (append-only lists).
//
//   bits 0-1   kind       0 access, 1 mailbox, 2 step
//   bits 2-3   space      (2 bits: 3 spaces)
//   bits 4-7   region     (4 bits: 9 regions, room for 16)
//   bit  8     op         0 R, 1 W
//   bits 9-11  status     (3 bits: 5 statuses, room for 8)
//   bits 12-13 width      log2 of the width in bytes (1, 2, 4, 8)

export const KIND_ACCESS = 0;
export const KIND_MAILBOX = 1;
export const KIND_STEP = 2;

/** The bits that describe where/how an access went, without kind and op (they change often: coded apart). */
export const ATTR_MASK = 0x3efc;
export const OP_BIT = 0x100;

export const packAccess = (space: number, region: number, op: number, status: number, width: number): number =>
  KIND_ACCESS | (space << 2) | (region << 4) | ((op & 1) << 8) | (status << 9) | ((31 - Math.clz32(width)) << 12);

export const packedKind = (p: number): number => p & 3;
export const packedSpace = (p: number): number => (p >> 2) & 3;
export const packedRegion = (p: number): number => (p >> 4) & 15;
export const packedOp = (p: number): number => (p >> 8) & 1;
export const packedStatus = (p: number): number => (p >> 9) & 7;
export const packedWidth = (p: number): number => 1 << ((p >> 12) & 3);
