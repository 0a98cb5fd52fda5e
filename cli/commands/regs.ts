// `cxl-bench regs NODE [--space cfg|bar0|bar2] [--topology NAME]`: the decoded registers of an emulated
// endpoint of a built-in topology, straight after reset (emulator/spec dumpRegisters).

import { VirtualClock } from '../../common/clock.js';
import type { Region } from '../../common/access.js';
import { dumpRegisters } from '../../emulator/spec/dump-registers.js';
import { defaultTopology, isDefaultTopologyName } from '../../emulator/topology/default-topology.js';
import { DEFAULT_TOPOLOGY_NAMES } from '../../emulator/topology/defaults/index.js';
import { createType3 } from '../../emulator/type3/type3-device.js';
import { defaultType3Config } from '../../emulator/type3/config.js';
import { topologyEndpoints } from '../../main/runs/emulated-endpoints.js';
import { oneOf, parse, str } from '../args.js';
import { write, type CliIo } from '../io.js';
import { EXIT, UsageError } from '../usage.js';

const SPACES = ['cfg', 'bar0', 'bar2'] as const;

export async function regsCommand(args: string[], io: CliIo): Promise<number> {
  const p = parse('regs', args, { space: { type: 'string' }, topology: { type: 'string' } }, { min: 1, max: 1, names: 'NODE' });
  const space: Region = oneOf('regs', '--space', str(p, 'space'), SPACES) ?? 'cfg';
  const topo = str(p, 'topology') ?? 'single';
  if (!isDefaultTopologyName(topo)) throw new UsageError(`regs: --topology must be one of ${DEFAULT_TOPOLOGY_NAMES.join(', ')}, got "${topo}"`);
  const node = p.positionals[0];
  const endpoints = topologyEndpoints(defaultTopology(topo));
  const ep = endpoints.find((e) => e.path === node);
  if (!ep) throw new UsageError(`regs: no endpoint "${node}" in topology ${topo} (endpoints: ${endpoints.map((e) => e.path).join(', ')})`);
  const dev = createType3(
    {
      ...defaultType3Config(),
      volatileBytes: ep.volatileBytes,
      persistentBytes: ep.persistentBytes,
      partitionableBytes: ep.partitionableBytes,
      lsaBytes: ep.lsaBytes,
      serial: ep.serial,
      hdmDecoders: ep.decoders,
      profile: ep.profile,
    },
    new VirtualClock(),
  );
  await write(io.stdout, `${node} (${topo}) ${space}\n${dumpRegisters(dev, space)}\n`);
  return EXIT.ok;
}
