// UUIDs as the CXL payloads carry them: 16 bytes in the order the string is written (Linux uuid_t, not the
// mixed-endian EFI GUID), as CXL 2.0 8.2.9.4 (Log Identifier) and 8.2.9.1.1 (Event Record Identifier) use them.

export function uuidBytes(text: string): Uint8Array {
  const hex = text.replace(/-/g, '');
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function uuidText(bytes: Uint8Array): string {
  const h = [...bytes.subarray(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function uuidEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length < 16 || b.length < 16) return false;
  for (let i = 0; i < 16; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Log identifiers (CXL 2.0 8.2.9.4; r3.1 Table 8-71). */
export const LOG_UUID = {
  cel: '0da9c0b5-bf41-4b78-8f79-96b1623b3f17',
  vendorDebug: '5e1819d9-11a9-400c-811f-d60719403d86',
} as const;

/** Event record identifiers (CXL 2.0 8.2.9.1.1.1-3; r3.1 Tables 8-45..8-47). */
export const EVENT_RECORD_UUID = {
  'general-media': 'fbcd0a77-c260-417f-85a9-088b1621eba6',
  dram: '601dcbb3-9c06-4eab-b8af-4e9bfb5c9624',
  'memory-module': 'fe927475-dd59-4339-a586-79bab113b774',
} as const;

/** Feature identifiers (r3.1 8.2.9.9.11.1 Patrol Scrub Control). */
export const FEATURE_UUID = {
  patrolScrub: '96dad7d6-fde8-482b-a733-75774e06db8a',
} as const;
