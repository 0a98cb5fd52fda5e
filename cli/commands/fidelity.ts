// `cxl-bench fidelity [CAPTURE ...] [--kernel 6.1|6.12|mainline] [--profile spec|spec-2.0|qemu|qemu-7.2]
// [--json] [--diffs N]`: the three fidelity figures of the real QEMU 7.2 + Linux 6.1 captures this repository
// carries (test/fixtures/qemu-linux; default: all four) for a kernel profile (default 6.1) and a device profile
// (default qemu-7.2) — probe alignment and values per device, the replayed guest stream answered as QEMU did
// (devices and machine apart), and the region's decoder writes vs the real cxl create-region. Exit 1 when a
// figure misses its bar (95 % / 99 % / 99 % / equal), 2 on bad usage.

import type { DeviceProfile } from '../../emulator/type3/config.js';
import { KERNEL_IDS, type KernelId } from '../../host/kernels/types.js';
import { figuresLine, measureFixture, type FidelityFigures } from '../../main/fidelity/measure.js';
import { QEMU_FIXTURE_NAMES } from '../../main/qemu/qemu-fixture.js';
import { int, oneOf, parse, str } from '../args.js';
import { write, type CliIo } from '../io.js';
import { EXIT, UsageError } from '../usage.js';

const PROFILES: readonly DeviceProfile[] = ['spec', 'spec-2.0', 'qemu', 'qemu-7.2'];

export const meetsBars = (f: FidelityFigures): boolean => f.probeMinAlignedPct >= 95 && f.probeMinValuesPct >= 99 && f.replayDevicePct >= 99 && (f.region?.equal ?? true);

export async function fidelityCommand(args: string[], io: CliIo): Promise<number> {
  const p = parse('fidelity', args, { kernel: { type: 'string' }, profile: { type: 'string' }, json: { type: 'boolean' }, diffs: { type: 'string' } }, { min: 0, max: QEMU_FIXTURE_NAMES.length, names: 'CAPTURE' });
  const kernel: KernelId = oneOf('fidelity', '--kernel', str(p, 'kernel'), KERNEL_IDS) ?? '6.1';
  const profile: DeviceProfile = oneOf('fidelity', '--profile', str(p, 'profile'), PROFILES) ?? 'qemu-7.2';
  const diffs = int('fidelity', p, 'diffs', 0, 1000) ?? 0;
  const names = p.positionals.length ? p.positionals : [...QEMU_FIXTURE_NAMES];
  for (const n of names) if (!(QEMU_FIXTURE_NAMES as readonly string[]).includes(n)) throw new UsageError(`fidelity: unknown capture "${n}" (have: ${QEMU_FIXTURE_NAMES.join(', ')})`);
  const all: FidelityFigures[] = [];
  for (const n of names) {
    await write(io.stderr, `fidelity: ${n} …\n`);
    const f = await measureFixture(n, kernel, profile);
    all.push(f);
    if (!p.values.json) {
      await write(io.stdout, `${figuresLine(f)}${meetsBars(f) ? '' : '   ← below the bar'}\n`);
      for (const d of f.probe) for (const m of d.missed.slice(0, diffs)) await write(io.stdout, `    probe ${d.node}: real access not in the model: ${m}\n`);
      for (const d of f.replay.diffs.slice(0, diffs)) await write(io.stdout, `    replay ${d.node} ${d.key}: QEMU ${d.real}, ours ${d.ours} (×${d.count})\n`);
    }
  }
  if (p.values.json) await write(io.stdout, JSON.stringify(all, (_k, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v)) + '\n');
  return all.every(meetsBars) ? EXIT.ok : EXIT.failed;
}
