// The memdev facts `cxl list` prints (cxl_memdev: serial, ram/pmem size, partition_info), read the way the
// kernel does at probe: Identify Memory Device, Get Partition Info when the device is partitionable.

import type { Target } from '../../common/target.js';
import type { DecodeNode } from '../core/topology-walk.js';
import { endpointsUnder } from '../core/topology-walk.js';
import { MailboxClient, type MailboxEnv } from '../core/mbox.js';
import { decodeIdentifyMemdev, decodePartitionInfo } from '../core/mbox-payloads.js';
import { OP, RC } from '../core/mbox-opcodes.js';
import { pciReadDsn } from '../core/pci.js';
import type { MemdevInfo } from './cxl-list.js';

export async function readMemdevs(trees: readonly DecodeNode[], env: MailboxEnv): Promise<Map<string, MemdevInfo>> {
  const out = new Map<string, MemdevInfo>();
  for (const e of trees.flatMap(endpointsUnder)) {
    const t: Target | undefined = e.target;
    if (!t) continue;
    const c = await MailboxClient.connect(t, env);
    if ('error' in c) continue;
    const r = await c.send(OP.identifyMemdev);
    if (r.rc !== RC.success) continue;
    const id = decodeIdentifyMemdev(r.output);
    let ram = id.volatileOnlyBytes;
    let pmem = id.persistentOnlyBytes;
    if (id.partitionAlignBytes !== 0) {
      const p = await c.send(OP.getPartitionInfo);
      if (p.rc === RC.success) {
        const pi = decodePartitionInfo(p.output);
        ram = pi.activeVolatileBytes;
        pmem = pi.activePersistentBytes;
      }
    }
    out.set(e.path, {
      serial: (await pciReadDsn(t)) ?? 0n,
      ramBytes: ram,
      pmemBytes: pmem,
      totalBytes: id.totalBytes,
      volatileOnlyBytes: id.volatileOnlyBytes,
      persistentOnlyBytes: id.persistentOnlyBytes,
      partitionAlignBytes: id.partitionAlignBytes,
    });
  }
  return out;
}
