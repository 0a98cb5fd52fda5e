// CXL 2.0 8.2.5.12.3-6: decoder base, size and DPA skip are programmed in 256 MiB units (bits [31:28] of Low).
export const CAPACITY_UNIT = 256 * 1024 * 1024;
