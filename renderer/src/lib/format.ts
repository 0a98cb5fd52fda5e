// Display formats for the lab views: times in the unit an engineer reads at a glance, hex offsets.

/** ns since run start -> "12.345 µs" / "1.234567 ms" / "2.000000 s", fixed width per unit. */
export function formatTimeNs(ns: number): string {
  if (ns < 1_000) return `${ns} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(3)} µs`;
  if (ns < 1_000_000_000) return `${(ns / 1_000_000).toFixed(6)} ms`;
  return `${(ns / 1_000_000_000).toFixed(6)} s`;
}

export function hex(n: number, digits = 0): string {
  return '0x' + n.toString(16).toUpperCase().padStart(digits, '0');
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatWhen(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (x: number) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export type StatusTone = 'quiet' | 'good' | 'warn' | 'bad';

/** How loudly a trace row's status column should read: access ok / step pass are quiet, faults are loud. */
export function statusTone(kind: 'access' | 'mailbox' | 'step', status: string): StatusTone {
  if (kind === 'access') return status === 'ok' ? 'quiet' : 'bad';
  if (kind === 'mailbox') return status === 'Success' ? 'quiet' : /busy|background/i.test(status) ? 'warn' : 'bad';
  return status === 'pass' ? 'good' : status === 'warn' ? 'warn' : status === 'fail' ? 'bad' : 'quiet';
}

/** "117.3 MB" (decimal units, as file managers show sizes). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}
