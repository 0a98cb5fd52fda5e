// Waiting on a condition instead of sleeping a guessed time: resolves as soon as `cond()` holds, checked every
// few milliseconds; rejects naming `what` if it does not hold within `ms` (a generous bound for a loaded machine).

export async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const t0 = performance.now();
  while (!cond()) {
    if (performance.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
