// `cxl-bench regs NODE [--space cfg|bar0|bar2] [--topology NAME|FILE] [--db FILE] [--json]`: the decoded registers
// of an emulated endpoint of a topology — built-in, saved in the database, or a topology file — straight after reset (emulator/spec dumpRegisters; --json: the register
// explorer's DecodedRegister list, decoded from the same declarations).

import { VirtualClock } from '../../common/clock.js';
import type { Region } from '../../common/access.js';
import { dumpRegisters } from '../../emulator/spec/dump-registers.js';
import { defaultTopology, isDefaultTopologyName } from '../../emulator/topology/default-topology.js';
import { DEFAULT_TOPOLOGY_NAMES } from '../../emulator/topology/defaults/index.js';
import { createType3 } from '../../emulator/type3/type3-device.js';
import { defaultType3Config } from '../../emulator/type3/config.js';
import { topologyEndpoints } from '../../main/runs/emulated-endpoints.js';
import { resolveBlock } from '../../emulator/spec/blocks.js';
import type { DecodedRegister } from '../../main/api/contract.js';
import { decodeRegister } from '../../main/live/register-decode.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { formatTopologyError, loadTopology } from '../../emulator/topology/load.js';
import type { Topology } from '../../emulator/topology/types.js';
import { openStore } from '../../main/store/store.js';
import { DEFAULT_DB, oneOf, parse, str } from '../args.js';
import { write, type CliIo } from '../io.js';
import { EXIT, UsageError } from '../usage.js';

const SPACES = ['cfg', 'bar0', 'bar2'] as const;

/** A built-in name, a topology file, or a topology saved in the database. */
function regsTopology(value: string, dbPath: string): Topology {
  if (isDefaultTopologyName(value)) return defaultTopology(value);
  const fromText = (json: string, what: string): Topology => {
    const r = loadTopology(json);
    if (!r.ok) throw new UsageError(`regs: ${what}: ${r.errors.map(formatTopologyError).join('; ')}`);
    return r.topology;
  };
  if (existsSync(value) && statSync(value).isFile()) return fromText(readFileSync(value, 'utf8'), value);
  if (existsSync(dbPath)) {
    const store = openStore(dbPath, { migrate: false, recover: false, readonly: true });
    try {
      const saved = store.topologies.get(value);
      if (saved) return fromText(saved.json, `saved topology ${value}`);
    } finally {
      store.close();
    }
  }
  throw new UsageError(`regs: --topology: "${value}" is no built-in topology (${DEFAULT_TOPOLOGY_NAMES.join(', ')}), file or topology saved in ${dbPath}`);
}

export async function regsCommand(args: string[], io: CliIo): Promise<number> {
  const p = parse('regs', args, { space: { type: 'string' }, topology: { type: 'string' }, db: { type: 'string' }, json: { type: 'boolean' } }, { min: 1, max: 1, names: 'NODE' });
  const space: Region = oneOf('regs', '--space', str(p, 'space'), SPACES) ?? 'cfg';
  const topo = str(p, 'topology') ?? 'single';
  const node = p.positionals[0];
  const endpoints = topologyEndpoints(regsTopology(topo, str(p, 'db') ?? DEFAULT_DB));
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
  if (p.values.json) {
    const regs: DecodedRegister[] = [];
    for (const pb of dev.layout().filter((x) => x.region === space).sort((a, b) => a.base - b.base)) {
      const decl = resolveBlock(pb.block, pb.params ?? {});
      const block = dev.block(pb.block, pb.region);
      if (!decl || !block) continue;
      // Untraced reads through the block's software path where the width is allowed (as dumpRegisters), so
      // live status registers show what a host would read.
      for (const r of decl.registers) {
        const ok = (block.rules.widths & (1 << r.width)) !== 0;
        const v = r.width === 8 ? (ok ? block.read64(r.offset) : block.get64(r.offset)) : BigInt((ok ? block.read(r.offset, r.width) : block.get(r.offset, r.width)) >>> 0);
        regs.push(decodeRegister(decl, pb.base, r, v));
      }
    }
    await write(io.stdout, JSON.stringify({ node, topology: topo, space, registers: regs }) + '\n');
    return EXIT.ok;
  }
  await write(io.stdout, `${node} (${topo}) ${space}\n${dumpRegisters(dev, space)}\n`);
  return EXIT.ok;
}
