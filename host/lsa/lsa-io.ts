// Reading and writing a device's Label Storage Area over the mailbox (Get LSA 4102h / Set LSA 4103h, CXL 2.0
// 8.2.9.5.2.3-4) in payload-sized pieces, and the label updates ndctl makes for a pmem region: initialise the
// two index blocks if needed (ndctl init-labels: sequence 3 and 2, every slot free), write a region label
// (CXL 2.0 Table 211) and a namespace label (Table 212, as `ndctl create-namespace` writes for an fsdax
// namespace over the whole region) into free slots, then the other index block with the next sequence number.

import { hex } from '../core/bytes.js';
import { MailboxClient } from '../core/mbox.js';
import { decodeIdentifyMemdev, encodeGetLsa } from '../core/mbox-payloads.js';
import { OP, RC } from '../core/mbox-opcodes.js';
import { currentIndex, decodeIndexBlock, decodeLsa, encodeIndexBlock, encodeNamespaceLabel, encodeRegionLabel, LABEL_SIZE, lsaLayout, nextSeq, type DecodedLsa } from './labels.js';

/** libnvdimm NVDIMM_PFN_GUID: the fsdax personality ndctl create-namespace gives a pmem namespace by default. */
export const FSDAX_ABSTRACTION = '266400ba-fb9f-4677-bcb0-968f11d0d225';

export async function lsaSize(c: MailboxClient): Promise<number | string> {
  const r = await c.send(OP.identifyMemdev);
  if (r.rc !== RC.success) return `Identify Memory Device: ${r.rcName}`;
  return decodeIdentifyMemdev(r.output).lsaSize;
}

export async function readLsa(c: MailboxClient, size: number): Promise<Uint8Array | string> {
  const out = new Uint8Array(size);
  const step = Math.min(c.payloadSize, 4096);
  for (let off = 0; off < size; off += step) {
    const n = Math.min(step, size - off);
    const r = await c.send(OP.getLsa, encodeGetLsa(off, n));
    if (r.rc !== RC.success) return `Get LSA at ${hex(off)}: ${r.rcName}`;
    out.set(r.output.subarray(0, n), off);
  }
  return out;
}

export async function writeLsa(c: MailboxClient, offset: number, data: Uint8Array): Promise<string | null> {
  const step = Math.min(c.payloadSize - 8, 4096);
  for (let done = 0; done < data.length; done += step) {
    const n = Math.min(step, data.length - done);
    const input = new Uint8Array(8 + n);
    new DataView(input.buffer).setUint32(0, offset + done, true);
    input.set(data.subarray(done, done + n), 8);
    const r = await c.send(OP.setLsa, input);
    if (r.rc !== RC.success) return `Set LSA at ${hex(offset + done)}: ${r.rcName}`;
  }
  return null;
}

export interface RegionLabelRequest {
  regionUuid: string;
  namespaceUuid: string;
  ways: number;
  position: number;
  dpa: number;
  rawsize: number;
  hpa: number;
  granularity: number;
}

/** Label a device's part of a pmem region; returns the decoded LSA after, or why it could not. */
export async function writeRegionLabels(c: MailboxClient, req: RegionLabelRequest): Promise<{ lsa: DecodedLsa; slots: number[] } | string> {
  const size = await lsaSize(c);
  if (typeof size === 'string') return size;
  const { indexSize, labelOff, nslot } = lsaLayout(size);
  if (nslot < 2) return `LSA of ${size} B has room for ${nslot} label(s)`;
  const img = await readLsa(c, size);
  if (typeof img === 'string') return img;
  let cur = currentIndex(decodeIndexBlock(img.subarray(0, indexSize), 0), decodeIndexBlock(img.subarray(indexSize, 2 * indexSize), indexSize));
  if (!cur) {
    // ndctl init-labels (nd_label_write_index ... ND_NSINDEX_INIT): both blocks, sequence 3 then 2, all free.
    const all = new Set(Array.from({ length: nslot }, (_, s) => s));
    for (const [i, seq] of [[0, 3], [1, 2]] as const) {
      const e = await writeLsa(c, i * indexSize, encodeIndexBlock({ seq, myoff: i * indexSize, mysize: indexSize, otheroff: (1 - i) * indexSize, labeloff: labelOff, nslot, free: all }));
      if (e) return e;
    }
    cur = decodeIndexBlock(encodeIndexBlock({ seq: 3, myoff: 0, mysize: indexSize, otheroff: indexSize, labeloff: labelOff, nslot, free: all }), 0)!;
  }
  const free = [...cur.free].sort((a, b) => a - b);
  if (free.length < 2) return `no free label slots (${nslot} slots in use)`;
  const [rs, ns] = [free[0]!, free[1]!];
  const region = encodeRegionLabel({ uuid: req.regionUuid, flags: 0, nlabel: req.ways, position: req.position, dpa: req.dpa, rawsize: req.rawsize, hpa: req.hpa, slot: rs, granularity: req.granularity, align: 256 * 2 ** 20 });
  const ns0 = encodeNamespaceLabel({
    uuid: req.namespaceUuid,
    name: '',
    flags: 0,
    nrange: 1,
    position: req.position,
    dpa: req.dpa,
    rawsize: req.rawsize,
    slot: ns,
    align: 256 * 2 ** 20,
    regionUuid: req.regionUuid,
    abstractionUuid: FSDAX_ABSTRACTION,
    lbasize: 0,
  });
  for (const [slot, bytes] of [[rs, region], [ns, ns0]] as const) {
    const e = await writeLsa(c, labelOff + slot * LABEL_SIZE, bytes);
    if (e) return e;
  }
  // The other index block becomes current with the next sequence number and the two slots taken.
  const nowFree = new Set(cur.free);
  nowFree.delete(rs);
  nowFree.delete(ns);
  const other = cur.otheroff;
  const e = await writeLsa(c, other, encodeIndexBlock({ seq: nextSeq(cur.seq), myoff: other, mysize: indexSize, otheroff: cur.myoff, labeloff: labelOff, nslot, free: nowFree }));
  if (e) return e;
  const after = await readLsa(c, size);
  if (typeof after === 'string') return after;
  return { lsa: decodeLsa(after), slots: [rs, ns] };
}
