// nd_label_data_init (drivers/nvdimm/label.c, Linux 6.1) over cxl_pmem's Get LSA (drivers/cxl/pmem.c,
// max_xfer = payload size − 8): the two namespace index blocks first, in transfers sized to divide the label
// area evenly; label slots beyond them only when an index block is valid (an unlabelled LSA stops there).

import { hex } from '../../../core/bytes.js';
import { encodeGetLsa, type IdentifyMemdev } from '../../../core/mbox-payloads.js';
import type { KernelProfile } from '../../../kernels/types.js';
import { ruleCite } from '../../../kernels/types.js';
import type { StepLog } from '../../step-log.js';
import type { LinuxProbeOptions } from '../kernel.js';
import type { Endpoint61 } from './cxl-pci.js';

const NSINDEX_ALIGN = 256;
const NSLABEL_SIZE = 128;
/** sizeof(struct nd_namespace_index) without the free bitmap. */
const NSINDEX_HDR = 72;

const indexSize = (nslot: number): number => Math.ceil((NSINDEX_HDR + Math.ceil(nslot / 8)) / NSINDEX_ALIGN) * NSINDEX_ALIGN;

/** sizeof_namespace_index: 0 when the area cannot hold two index blocks and two labels. */
export function namespaceIndexSize(configSize: number): number {
  const tmp = Math.floor(configSize / NSLABEL_SIZE);
  const nblk = indexSize(tmp) / NSINDEX_ALIGN;
  const nslot = Math.floor((configSize - NSINDEX_ALIGN * nblk * 2) / NSLABEL_SIZE);
  const space = configSize - nslot * NSLABEL_SIZE;
  const size = indexSize(nslot) * 2;
  return size <= space && nslot >= 2 ? size / 2 : 0;
}

/** The Get LSA transfers (offset, length) of the index read for a label area of `configSize` bytes. */
export function labelIndexReads(configSize: number, maxXferIn: number): Array<{ offset: number; length: number }> {
  let readSize = namespaceIndexSize(configSize) * 2;
  if (!readSize) return [];
  let maxXfer = Math.min(maxXferIn, configSize);
  if (readSize < maxXfer) {
    maxXfer -= Math.floor((maxXfer - 1 - ((configSize - 1) % maxXfer)) / Math.ceil(configSize / maxXfer));
    if (maxXfer < readSize) maxXfer = readSize;
  }
  readSize = Math.min(Math.ceil(readSize / maxXfer) * maxXfer, configSize);
  // nvdimm_get_config_data(ndd, buf, 0, read_size): chunks of min(read_size, max_xfer).
  const chunk = Math.min(readSize, maxXfer);
  const out: Array<{ offset: number; length: number }> = [];
  for (let off = 0; off < readSize; off += chunk) out.push({ offset: off, length: Math.min(chunk, readSize - off) });
  return out;
}

export async function readLabels61(log: StepLog, s: Endpoint61, id: IdentifyMemdev, k: KernelProfile, opt: LinuxProbeOptions): Promise<void> {
  const n = s.node;
  if (!s.mbox) return;
  if (!id.lsaSize) return void log.info(`${n}: LSA`, 'LSA size 0: nvdimm has no label area');
  const reads = labelIndexReads(Math.min(id.lsaSize, opt.lsaReadLimit), s.mbox.payloadSize - 8);
  if (!reads.length) return void log.warn(`${n}: LSA`, `label area (${id.lsaSize}) too small to host (128 byte) labels`);
  let bytes = 0;
  for (const r of reads) {
    const res = await s.mbox.send(0x4102, encodeGetLsa(r.offset, r.length), r.length, true);
    if (res.errno) return void log.fail(`${n}: LSA`, `Get LSA at ${hex(r.offset)} length ${r.length} failed: labels unreadable`, `return code ${hex(res.rc, 4)}`);
    bytes += res.output.length;
  }
  log.pass(`${n}: LSA`, `${bytes} B of namespace index read in ${reads.length} Get LSA command(s) of ≤ ${s.mbox.payloadSize - 8} B (${ruleCite(k, k.probe.lsaRead)})`, `LSA size ${id.lsaSize} B`);
}
