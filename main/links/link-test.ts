// links.test and `cxl-bench link test` (issue 7): open a link, read the endpoint's Vendor/Device ID register
// (PCI config offset 0x00, where the device map puts config space) a few times, time each read, measure a
// burst's byte rate, close. A link that does not open or answer is a result with ok=false and the reason —
// not an exception — so the UI can show it next to the port.

import type { Link } from '../../hil/link.js';
import { openLink } from '../../hil/link.js';
import type { LinkTestResult } from '../api/contract.js';
import { latencyStats } from './latency.js';

export interface LinkTestOptions {
  /** Bus address of config space offset 0 (Vendor ID / Device ID) on the bridge. */
  idAddress: number;
  /** The device map's memory window, if it has one: its first word is read and reported. */
  memWindow?: { base: number; size: number };
  /** Timed single reads (default 8). */
  reads?: number;
  /** Words in the throughput burst (default 64). */
  burstWords?: number;
  timeoutMs?: number;
  /** For tests: how to open the link (default hil openLink). */
  open?: (uri: string, timeoutMs: number) => Promise<Link>;
}

const sizeText = (n: number): string =>
  n % 2 ** 30 === 0 ? `${n / 2 ** 30} GiB` : n % 2 ** 20 === 0 ? `${n / 2 ** 20} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} B`;
const nowUs = (): number => performance.now() * 1000;
const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export async function testLink(uri: string, opts: LinkTestOptions): Promise<LinkTestResult> {
  const reads = opts.reads ?? 8;
  const timeoutMs = opts.timeoutMs ?? 1000;
  const open = opts.open ?? ((u: string, t: number) => openLink(u, { timeoutMs: t }));
  const result: LinkTestResult = { uri, ok: false, id: null, latency: null, readsPerSecond: null, bytesPerSecond: null, memory: null, error: null };
  let link: Link;
  try {
    link = await open(uri, timeoutMs);
  } catch (e) {
    result.error = `open failed: ${reason(e)}`;
    return result;
  }
  const samples: number[] = [];
  try {
    const t0 = nowUs();
    for (let i = 0; i < reads; i++) {
      const t = nowUs();
      const v = await link.read32(opts.idAddress);
      samples.push(nowUs() - t);
      result.id = '0x' + (v >>> 0).toString(16).padStart(8, '0');
    }
    const elapsed = nowUs() - t0;
    result.readsPerSecond = elapsed > 0 ? Math.round((reads * 1e6) / elapsed) : null;
    const words = opts.burstWords ?? 64;
    const tb = nowUs();
    await link.readBurst(opts.idAddress, words);
    const burstUs = nowUs() - tb;
    result.bytesPerSecond = burstUs > 0 ? Math.round((words * 4 * 1e6) / burstUs) : null;
    if (opts.memWindow) {
      const w = opts.memWindow;
      const first = await link.read32(w.base);
      result.memory = `${sizeText(w.size)} at 0x${w.base.toString(16)}, DPA 0 reads 0x${(first >>> 0).toString(16).padStart(8, '0')}`;
    }
    // All-ones is what an absent device answers (PCI: no function at that address).
    result.ok = result.id !== '0xffffffff';
    if (!result.ok) result.error = 'the Vendor/Device ID reads all-ones: no function at the mapped config space';
  } catch (e) {
    result.error = `read failed: ${reason(e)}`;
  } finally {
    result.latency = latencyStats(samples);
    result.samplesUs = samples.map((x) => Math.round(x * 10) / 10); // for the latency histogram (issue 15)
    await link.close().catch(() => {});
  }
  return result;
}
