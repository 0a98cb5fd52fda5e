// Interleave arithmetic (pure): encodings of ways/granularity and HPA <-> (position, DPA) math.
export * from './encoding.js';
export * from './address-math.js';
