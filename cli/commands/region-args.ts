// Options shared by `region`, `cxl-list --region` and `decode`: how to create the region on the live bench.

import type { KernelId, RegionCreateInput, RegionMode, RegionStep } from '../../main/api/contract.js';
import { KERNEL_IDS } from '../../host/sequences/region/kernel-rules.js';
import { int, oneOf, str, type Options, type Parsed } from '../args.js';

export const REGION_OPTIONS: Options = {
  mode: { type: 'string' },
  kernel: { type: 'string' },
  ways: { type: 'string' },
  granularity: { type: 'string' },
  window: { type: 'string' },
};

export function regionInput(command: string, p: Parsed, sessionId: number): RegionCreateInput {
  const mode = oneOf(command, '--mode', str(p, 'mode'), ['ram', 'pmem'] as const) as RegionMode | undefined;
  const kernel = oneOf(command, '--kernel', str(p, 'kernel'), KERNEL_IDS) as KernelId | undefined;
  const ways = int(command, p, 'ways', 1, 16);
  const granularity = int(command, p, 'granularity', 256, 16384);
  const window = int(command, p, 'window', 0, 255);
  return {
    sessionId,
    ...(mode ? { mode } : {}),
    ...(kernel ? { kernel } : {}),
    ...(ways !== undefined ? { ways } : {}),
    ...(granularity !== undefined ? { granularity } : {}),
    ...(window !== undefined ? { window } : {}),
  };
}

/** Steps as a table: verdict, name, reason (evidence on the next line when asked). */
export function stepsText(steps: readonly RegionStep[], evidence = false): string {
  const width = Math.min(40, Math.max(4, ...steps.map((x) => x.name.length)));
  const lines = [`  ${'verdict'.padEnd(7)}  ${'step'.padEnd(width)}  reason`];
  for (const s of steps) {
    lines.push(`  ${s.verdict.toUpperCase().padEnd(7)}  ${s.name.padEnd(width)}  ${s.reason}`);
    if (evidence && s.evidence) lines.push(`  ${''.padEnd(7)}  ${''.padEnd(width)}  ${s.evidence}`);
  }
  return lines.join('\n') + '\n';
}
