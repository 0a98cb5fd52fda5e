// The device a simulator serves (`cxl-bench sim`, the demo): the Type 3 endpoint of a built-in topology, built
// with the same configuration the emulated platform gives that node (capacity, LSA, serial, decoders), so a
// run against the simulator and a run against the emulator differ only by the silicon profile.

import type { Clock } from '../../common/clock.js';
import type { FunctionModel } from '../../common/function-model.js';
import { defaultTopology, isDefaultTopologyName } from '../../emulator/topology/default-topology.js';
import { hdmDecodersOf } from '../../emulator/hdm/index.js';
import { HDM_BLOCK_ID } from '../../emulator/hdm/hdm-decl.js';
import { createType3 } from '../../emulator/type3/type3-device.js';
import type { BusMemory } from '../../hil/sim/bus-model.js';
import { topologyEndpoints } from '../runs/emulated-endpoints.js';

export interface SimEndpoint {
  fn: FunctionModel;
  /** Its memory by DPA (what the simulators serve through the device map's 'mem' window). */
  memory: BusMemory;
  /** Bytes of DPA the device has (volatile + persistent + partitionable). */
  capacityBytes: number;
}

export function simEndpointModel(clock: Clock, topology = 'single', node?: string): FunctionModel {
  return simEndpoint(clock, topology, node).fn;
}

export function simEndpoint(clock: Clock, topology = 'single', node?: string): SimEndpoint {
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
  const capacityBytes = e.volatileBytes + e.persistentBytes + e.partitionableBytes;
  const hdm = hdmDecodersOf(dev.block(HDM_BLOCK_ID, 'bar0'));
  if (hdm) hdm.dpaCapacity = () => capacityBytes;
  const be = dev.backend;
  // As the emulated platform's memory path reaches an endpoint's media (emulator/topology/platform-memory.ts).
  const memory: BusMemory = {
    mediaAccess: (d, n) => be.mediaAccess(d, n),
    read: (d, out) => be.media.read(d, out),
    write: (d, data) => be.media.write(d, data),
  };
  return { fn: dev.fn, memory, capacityBytes };
}
