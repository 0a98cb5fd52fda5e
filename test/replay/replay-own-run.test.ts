// Replaying one of our own emulated runs on a fresh platform of the same topology reproduces its trace: the
// same accesses answered with the same values (firmware enumeration included, since the replay platform starts
// from reset and the source's firmware cycles are replayed too).

import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../common/clock.js';
import { resolveBlock } from '../../emulator/spec/blocks.js';
import { defaultTopology } from '../../emulator/topology/default-topology.js';
import { buildPlatform } from '../../emulator/topology/platform.js';
import type { Sequence, SequenceContext } from '../../host/sequence.js';
import { enumerateSequence } from '../../host/sequences/enumerate.js';
import { linuxProbeSequence } from '../../host/sequences/linux-probe/index.js';
import { createReplaySequence, replayAccesses } from '../../host/sequences/replay.js';
import { compareTraces } from '../../trace/compare/index.js';
import { TraceBuffer } from '../../trace/trace-buffer.js';

function bench(topology: 'single' | 'switch4', enumerate: boolean) {
  const clock = new VirtualClock();
  const buf = new TraceBuffer(clock);
  const platform = buildPlatform(defaultTopology(topology), { clock, sink: buf });
  if (enumerate) platform.enumerateLikeFirmware();
  const ctx: SequenceContext = {
    targets: platform.targets(),
    platform,
    sink: buf,
    clock,
    sleep: async (ns) => clock.advance(ns),
    step: (r) => buf.step({ ...r, sequence: 'test' }),
    progress: () => {},
    signal: new AbortController().signal,
  };
  return { buf, platform, ctx };
}

async function recordAndReplay(topology: 'single' | 'switch4', seq: Sequence) {
  const src = bench(topology, true);
  await seq.run(src.ctx);
  const dst = bench(topology, false);
  const counts = await replayAccesses(dst.ctx, { source: src.buf });
  const r = compareTraces(src.buf, dst.buf, { layoutA: src.platform.layout(), layoutB: dst.platform.layout(), resolve: resolveBlock });
  return { src, dst, counts, r };
}

describe('replay of our own runs', () => {
  it('enumerate on switch4: every access replays and the traces compare equal', async () => {
    const { src, counts, r } = await recordAndReplay('switch4', enumerateSequence);
    expect(counts.skipped).toEqual({});
    expect(counts.issued).toBe(src.buf.events(0, src.buf.count).filter((e) => e.kind === 'access').length);
    expect(r.counts).toMatchObject({ valueDiffers: 0, onlyA: 0, onlyB: 0, pollCountDiffers: 0 });
    expect(r.equal).toBe(true);
  });

  it('linux-probe on single: accesses (mailbox handshakes, polls) equal; only the mailbox records are not re-created', async () => {
    const { src, counts, r } = await recordAndReplay('single', linuxProbeSequence);
    const mailbox = src.buf.events(0, src.buf.count).filter((e) => e.kind === 'mailbox').length;
    expect(mailbox).toBeGreaterThan(0);
    expect(counts.mailboxRecords).toBe(mailbox);
    expect(r.counts).toMatchObject({ valueDiffers: 0, onlyB: 0, pollCountDiffers: 0, onlyA: mailbox });
    const onlyA = r.hunksPage(0, 1000).flatMap((h) => h.items).filter((i) => i.kind === 'only-a');
    expect(onlyA.every((i) => i.a?.event.kind === 'mailbox')).toBe(true);
  });

  it('a write the source made changes what the replay reads back (values are not copied from the source)', async () => {
    const src = bench('single', true);
    const ep = src.ctx.targets.get('hb0.rp0.ep0')!;
    await ep.cfgWrite(0x04, 2, 0x0000); // Memory Space off
    await ep.cfgRead(0x04, 2);
    const dst = bench('single', false);
    const dstEp = dst.ctx.targets.get('hb0.rp0.ep0')!;
    await createReplaySequence({ source: src.buf }).run(dst.ctx);
    expect(await dstEp.cfgRead(0x04, 2)).toBe(await ep.cfgRead(0x04, 2));
    // Replayed onto a device left with Memory Space on, the same read gives a different answer.
    const other = bench('single', false);
    const tail = src.buf.events(src.buf.count - 1, src.buf.count);
    await other.ctx.targets.get('hb0.rp0.ep0')!.cfgWrite(0x04, 2, 0x0002);
    await replayAccesses(other.ctx, { source: { count: 1, events: () => tail } });
    const last = other.buf.events(other.buf.count - 1, other.buf.count)[0];
    expect(last).toMatchObject({ kind: 'access', offset: 0x04, op: 'R', value: 2n });
  });

  it('skips and counts nodes the run does not have; the registry entry refuses to run without a source', async () => {
    const dst = bench('single', false);
    const c = await replayAccesses(dst.ctx, {
      source: {
        count: 2,
        events: () => [
          { kind: 'access', seq: 0, timeNs: 0, node: 'qemu', space: 'mem', region: 'hpa', offset: 0x70, width: 1, op: 'W', value: 0x8fn },
          { kind: 'access', seq: 1, timeNs: 0, node: '00:00.0', space: 'cfg', region: 'cfg', offset: 0, width: 2, op: 'R', value: 0x8086n },
        ],
      },
    });
    expect(c).toMatchObject({ issued: 0, skipped: { qemu: 1, '00:00.0': 1 } });
    expect(dst.buf.count).toBe(0);
    const { replaySequence } = await import('../../host/sequences/replay.js');
    await expect(replaySequence.run(dst.ctx)).rejects.toThrow(/needs a source run/);
  });
});
