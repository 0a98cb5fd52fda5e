import { describe, expect, it } from 'vitest';
import { dpa } from '../../../common/units.js';
import { OP, RC } from '../../../emulator/mailbox/index.js';
import { FEATURE_UUID, uuidBytes, uuidText } from '../../../emulator/mailbox/uuid.js';
import { makeDevice, MiB, payload, reader } from './helpers.js';

const SCRUB = uuidBytes(FEATURE_UUID.patrolScrub);

function getFeature(offset: number, count: number, selection: number, uuid = SCRUB): Uint8Array {
  const p = payload(0x15, [[0x10, 2, offset], [0x12, 2, count], [0x14, 1, selection]]);
  p.set(uuid, 0);
  return p;
}
function setFeature(action: number, offset: number, data: number[], version = 1, uuid = SCRUB): Uint8Array {
  const p = payload(0x20 + data.length, [[0x10, 4, action], [0x14, 2, offset], [0x16, 1, version]]);
  p.set(uuid, 0);
  p.set(data, 0x20);
  return p;
}

describe('Features (Patrol Scrub)', () => {
  it('Get Supported Features describes the patrol scrub feature', () => {
    const d = makeDevice();
    const { rc, output } = d.run(OP.getSupportedFeatures, payload(8, [[0, 4, 0x100], [4, 2, 0]]));
    expect(rc).toBe(RC.success);
    const r = reader(output);
    expect(r.u16(0)).toBe(1);
    expect(r.u16(2)).toBe(1);
    expect(uuidText(output.subarray(8, 24))).toBe(FEATURE_UUID.patrolScrub);
    expect(r.u16(8 + 0x12)).toBe(4); // get size
    expect(r.u16(8 + 0x14)).toBe(2); // set size
    expect(r.u32(8 + 0x16) & 1).toBe(1); // changeable
    expect(d.run(OP.getSupportedFeatures, payload(8, [[0, 4, 0x100], [4, 2, 1]])).rc).toBe(RC.invalidInput);
    expect(d.run(OP.getSupportedFeatures, payload(8, [[0, 4, 7], [4, 2, 0]])).rc).toBe(RC.invalidInput);
    // A Count with room for the header only returns the header.
    const head = d.run(OP.getSupportedFeatures, payload(8, [[0, 4, 8], [4, 2, 0]])).output;
    expect([head.length, reader(head).u16(0), reader(head).u16(2)]).toEqual([8, 0, 1]);
  });

  it('Set Feature (full) changes the scrub cycle; Get Feature default selection still reads the default', () => {
    const d = makeDevice();
    expect([...d.run(OP.getFeature, getFeature(0, 4, 0)).output]).toEqual([1, 12, 1, 1]);
    expect(d.run(OP.setFeature, setFeature(0, 0, [24, 0])).rc).toBe(RC.success);
    expect([...d.run(OP.getFeature, getFeature(0, 4, 0)).output]).toEqual([1, 24, 1, 0]);
    expect([...d.run(OP.getFeature, getFeature(0, 4, 1)).output]).toEqual([1, 12, 1, 1]);
    expect([...d.run(OP.getFeature, getFeature(1, 2, 0)).output]).toEqual([24, 1]);
  });

  it('multi-part Set Feature applies on finish and rejects out-of-order parts', () => {
    const d = makeDevice();
    expect(d.run(OP.setFeature, setFeature(2, 0, [6])).rc).toBe(RC.featureTransferOutOfOrder);
    expect(d.run(OP.setFeature, setFeature(1, 0, [6])).rc).toBe(RC.success);
    expect(d.run(OP.setFeature, setFeature(1, 0, [6])).rc).toBe(RC.featureTransferInProgress);
    expect(d.run(OP.setFeature, setFeature(3, 0, [1])).rc).toBe(RC.featureTransferOutOfOrder);
    expect(d.run(OP.setFeature, setFeature(3, 1, [1])).rc).toBe(RC.success);
    expect([...d.run(OP.getFeature, getFeature(0, 4, 0)).output]).toEqual([1, 6, 1, 1]);
  });

  it('rejects unknown features, versions, selections and bad values', () => {
    const d = makeDevice();
    const other = uuidBytes('00000000-0000-0000-0000-000000000001');
    expect(d.run(OP.getFeature, getFeature(0, 4, 0, other)).rc).toBe(RC.unsupported);
    expect(d.run(OP.getFeature, getFeature(0, 4, 2)).rc).toBe(RC.unsupportedFeatureSelection);
    expect(d.run(OP.getFeature, getFeature(4, 1, 0)).rc).toBe(RC.invalidInput);
    expect(d.run(OP.setFeature, setFeature(0, 0, [24, 1], 2)).rc).toBe(RC.unsupportedFeatureVersion);
    expect(d.run(OP.setFeature, setFeature(0, 0, [0, 1])).rc).toBe(RC.invalidInput); // below min cycle
    expect(d.run(OP.setFeature, setFeature(0, 0, [24])).rc).toBe(RC.invalidInput);
    expect(d.run(OP.setFeature, setFeature(0, 0, [24, 1], 1, other)).rc).toBe(RC.unsupported);
    expect(d.run(OP.getFeature, new Uint8Array(0x14)).rc).toBe(RC.invalidPayloadLength);
  });
});

const setPartition = (units: number, immediate: boolean) => payload(9, [[0, 8, units], [8, 1, immediate ? 1 : 0]]);

describe('Get / Set Partition Info', () => {
  const partitionable = () => makeDevice({ volatileBytes: 256 * MiB, persistentBytes: 256 * MiB, partitionableBytes: 1024 * MiB });

  it('reports active capacity with no change pending (partitionable capacity starts volatile)', () => {
    const r = reader(partitionable().run(OP.getPartitionInfo).output);
    expect([r.u64(0), r.u64(8), r.u64(0x10), r.u64(0x18)]).toEqual([5, 1, 0, 0]);
  });

  it('a change without Immediate shows as Next and takes effect only on reset', () => {
    const d = partitionable();
    expect(d.run(OP.setPartitionInfo, setPartition(2, false)).rc).toBe(RC.success);
    let r = reader(d.run(OP.getPartitionInfo).output);
    expect([r.u64(0), r.u64(8), r.u64(0x10), r.u64(0x18)]).toEqual([5, 1, 3, 3]);
    expect(d.dev.state().volatileBytes).toBe(1280 * MiB);
    d.dev.reset('cold');
    r = reader(d.run(OP.getPartitionInfo).output);
    expect([r.u64(0), r.u64(8), r.u64(0x10), r.u64(0x18)]).toEqual([3, 3, 0, 0]);
    expect(d.dev.state().volatileBytes).toBe(768 * MiB);
  });

  it('Immediate applies at once and loses the data whose type changed', () => {
    const d = partitionable();
    d.dev.media.write(dpa(100 * MiB), Uint8Array.of(0xab));
    d.dev.media.write(dpa(600 * MiB), Uint8Array.of(0xcd));
    d.dev.media.write(dpa(1300 * MiB), Uint8Array.of(0xef));
    expect(d.run(OP.setPartitionInfo, setPartition(1, true)).rc).toBe(RC.success);
    const r = reader(d.run(OP.getPartitionInfo).output);
    expect([r.u64(0), r.u64(8), r.u64(0x10)]).toEqual([2, 4, 0]);
    const b = new Uint8Array(1);
    d.dev.media.read(dpa(100 * MiB), b);
    expect(b[0]).toBe(0xab);
    d.dev.media.read(dpa(600 * MiB), b);
    expect(b[0]).toBe(0); // was volatile, now persistent: lost
    d.dev.media.read(dpa(1300 * MiB), b);
    expect(b[0]).toBe(0xef);
  });

  it('rejects more than the partitionable capacity, and devices with none', () => {
    expect(partitionable().run(OP.setPartitionInfo, setPartition(5, false)).rc).toBe(RC.invalidInput);
    expect(makeDevice({ partitionableBytes: 0 }).run(OP.setPartitionInfo, setPartition(0, false)).rc).toBe(RC.unsupported);
    expect(partitionable().run(OP.setPartitionInfo, new Uint8Array(8)).rc).toBe(RC.invalidPayloadLength);
  });
});

describe('Get / Set LSA', () => {
  const getLsa = (offset: number, length: number) => payload(8, [[0, 4, offset], [4, 4, length]]);
  const setLsa = (offset: number, data: number[]) => {
    const p = payload(8 + data.length, [[0, 4, offset]]);
    p.set(data, 8);
    return p;
  };

  it('writes and reads back label bytes, ending exactly at the LSA end', () => {
    const d = makeDevice({ lsaBytes: 1024 });
    expect(d.run(OP.setLsa, setLsa(1020, [1, 2, 3, 4])).rc).toBe(RC.success);
    const { rc, output } = d.run(OP.getLsa, getLsa(1018, 6));
    expect(rc).toBe(RC.success);
    expect([...output]).toEqual([0, 0, 1, 2, 3, 4]);
    expect(d.dev.lsa[1023]).toBe(4);
  });

  it('rejects ranges past the LSA or the payload with Invalid Input', () => {
    const d = makeDevice({ lsaBytes: 1024 });
    expect(d.run(OP.getLsa, getLsa(1020, 5)).rc).toBe(RC.invalidInput);
    expect(d.run(OP.getLsa, getLsa(0xffff_ffff, 2)).rc).toBe(RC.invalidInput);
    expect(d.run(OP.setLsa, setLsa(1021, [1, 2, 3, 4])).rc).toBe(RC.invalidInput);
    expect(d.run(OP.getLsa, getLsa(0, 1024), 512).rc).toBe(RC.invalidInput);
    expect(d.dev.lsa.every((b) => b === 0)).toBe(true);
    expect(d.run(OP.getLsa, new Uint8Array(7)).rc).toBe(RC.invalidPayloadLength);
    expect(d.run(OP.setLsa, new Uint8Array(7)).rc).toBe(RC.invalidPayloadLength);
  });

  it('a device without an LSA rejects every non-empty access', () => {
    const d = makeDevice({ lsaBytes: 0 });
    expect(d.run(OP.getLsa, getLsa(0, 1)).rc).toBe(RC.invalidInput);
    expect(d.run(OP.getLsa, getLsa(0, 0)).rc).toBe(RC.success);
  });
});
