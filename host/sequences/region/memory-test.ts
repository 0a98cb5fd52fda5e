// Memory pattern test through the platform's HPA path: walking ones, then address-in-address (each 8-byte
// word holds its own HPA), over the first and last halves of `testBytes` of a region. Progress per 4 KiB.

import type { Platform } from '../../../common/platform.js';
import { hpa, type Hpa } from '../../../common/units.js';
import { hex } from '../../core/bytes.js';
import type { SequenceContext } from '../../sequence.js';

export interface MemTestResult {
  bytes: number;
  errors: number;
  /** Set when an access was not routed (no decoder claims the HPA) or hit poison. */
  unroutable: string | null;
  evidence: string;
}

const CHUNK = 4096;

export async function memoryTest(ctx: SequenceContext, p: Platform, base: Hpa, size: number, testBytes: number): Promise<MemTestResult> {
  const half = Math.min(Math.floor(testBytes / 2 / CHUNK) * CHUNK || CHUNK, Math.floor(size / 2));
  const spans: Array<[number, number]> = [[base, half]];
  if (size > half) spans.push([base + size - half, half]);
  const total = spans.reduce((n, s) => n + s[1], 0);
  // Words as [low, high] 32-bit halves (no BigInt in the inner loop).
  const patterns: Array<{ name: string; word: (addr: number, i: number) => [number, number] }> = [
    { name: 'walking ones', word: (_a, i) => (i % 64 < 32 ? [2 ** (i % 64), 0] : [0, 2 ** ((i % 64) - 32)]) },
    { name: 'address-in-address', word: (a) => [a % 2 ** 32, Math.floor(a / 2 ** 32)] },
  ];
  const big = (w: [number, number]): bigint => (BigInt(w[1]) << 32n) | BigInt(w[0]);
  let errors = 0;
  let first = '';
  let done = 0;
  const steps = total * 2 * patterns.length;
  for (const pat of patterns) {
    for (const write of [true, false]) {
      for (const [start, len] of spans) {
        for (let off = 0; off < len; off += CHUNK) {
          const addr = start + off;
          const buf = new Uint8Array(CHUNK);
          const view = new DataView(buf.buffer);
          if (write) {
            for (let i = 0; i < CHUNK / 8; i++) {
              const [lo, hi] = pat.word(addr + 8 * i, (addr - base) / 8 + i);
              view.setUint32(8 * i, lo, true);
              view.setUint32(8 * i + 4, hi, true);
            }
            const r = await p.memWrite(hpa(addr), buf);
            if (r.status !== 'ok') return { bytes: done, errors, unroutable: `write to ${hex(addr, 12)} ${r.status}${r.detail ? `: ${r.detail}` : ''}`, evidence: pat.name };
          } else {
            const r = await p.memRead(hpa(addr), buf);
            if (r.status !== 'ok') return { bytes: done, errors, unroutable: `read of ${hex(addr, 12)} ${r.status}${r.detail ? `: ${r.detail}` : ''}`, evidence: pat.name };
            for (let i = 0; i < CHUNK / 8; i++) {
              const want = pat.word(addr + 8 * i, (addr - base) / 8 + i);
              if (view.getUint32(8 * i, true) !== want[0] || view.getUint32(8 * i + 4, true) !== want[1]) {
                if (!errors) first = `${pat.name}: HPA ${hex(addr + 8 * i, 12)} read ${hex(view.getBigUint64(8 * i, true), 16)}, expected ${hex(big(want), 16)}`;
                errors++;
              }
            }
          }
          done += CHUNK;
          ctx.progress(done, steps, `memory test: ${pat.name} ${write ? 'write' : 'verify'}`);
        }
      }
    }
  }
  return { bytes: total, errors, unroutable: null, evidence: first || `${spans.map(([s, l]) => `${hex(s, 12)}+${l}`).join(', ')}; ${patterns.map((x) => x.name).join(', ')}` };
}
