// Named values of decoded mailbox outputs (issue 15, finding 16): the console shows "source internal (2)", not
// "source 2". Keyed by the decoded field's last name part.
export const DECODED_ENUMS: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  // Media Error Record Error Source, CXL 2.0 8.2.9.5.4.1.
  source: { 0: 'unknown', 1: 'external', 2: 'internal', 3: 'injected', 7: 'vendor specific' },
  // Get Health Info Media Status, CXL 2.0 8.2.9.5.3.1.
  mediaStatus: { 0: 'normal', 1: 'not ready', 2: 'write persistency lost', 3: 'all data lost', 4: 'write persistency loss in the event of power loss', 5: 'write persistency loss in event of shutdown', 6: 'write persistency loss imminent', 7: 'all data loss in the event of power loss', 8: 'all data loss in the event of shutdown', 9: 'all data loss imminent' },
  // Event log, CXL 2.0 8.2.9.1.2.
  log: { 0: 'informational', 1: 'warning', 2: 'failure', 3: 'fatal' },
};

/** "internal (2)" for a named value of `path`'s last part, else null. */
export function enumText(path: string, value: unknown): string | null {
  if (typeof value !== 'number') return null;
  const key = path.slice(path.lastIndexOf('.') + 1);
  const name = DECODED_ENUMS[key]?.[value];
  return name === undefined ? null : `${name} (${value})`;
}
