// The device a simulator serves (`cxl-bench sim`, the demo): the Type 3 endpoint of a built-in topology, built
// with the same configuration the emulated platform gives that node (capacity, LSA, serial, decoders), so a
// run against the simulator and a run against the emulator differ only by the silicon profile.

import type { Clock } from '../../common/clock.js';
import type { FunctionModel } from '../../common/function-model.js';
import { defaultTopology, isDefaultTopologyName } from '../../emulator/topology/default-topology.js';
import { hdmDecodersOf } from '../../emulator/hdm/index.js';
import { HDM_BLOCK_ID } from '../../emulator/hdm/hdm-decl.js';
import { createType3 } from '../../emulator/type3/type3-device.js';
import { topologyEndpoints } from '../runs/emulated-endpoints.js';

export function simEndpointModel(clock: Clock, topology = 'single', node?: string): FunctionModel {
  if (!isDefaultTopologyName(topology)) throw new Error(`unknown topology "${topology}"`);
  const eps = topologyEndpoints(defaultTopology(topology));
  const e = node ? eps.find((x) => x.path === node) : eps[0];
  if (!e) throw new Error(`no endpoint ${node ?? ''} in topology ${topology}`);
  // As emulator/topology/platform-nodes.ts configures an endpoint (CXL 2.0 8.1.3 DVSEC ranges follow capacity).
  const dev = createType3(
    {
      volatileBytes: e.volatileBytes,
      persistentBytes: e.persistentBytes,
      partitionableBytes: e.partitionableBytes,
      lsaBytes: e.lsaBytes,
      serial: e.serial,
      hdmDecoders: e.decoders,
      payloadSizeLog2: 11,
      profile: e.profile,
    },
    clock,
  );
  const hdm = hdmDecodersOf(dev.block(HDM_BLOCK_ID, 'bar0'));
  if (hdm) hdm.dpaCapacity = () => e.volatileBytes + e.persistentBytes + e.partitionableBytes;
  return dev.fn;
}
