// `--topology NAME|FILE` of `cxl-bench run` and `demo` (issue 7: topology files as first-class inputs): a
// built-in or saved topology name, else a topology file. A file's JSON goes to runs.start as `topologyJson`,
// with its directory as `topologyDir`, so the device-map paths of its endpoint backends resolve relative to
// the file (as `--target NODE=URI --map FILE` would have named them). An invalid file is a usage error naming
// every bad field.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { RunStartInput } from '../../main/api/contract.js';
import { formatTopologyError, loadTopology } from '../../emulator/topology/load.js';
import type { Services } from '../../main/services/services.js';
import { UsageError } from '../usage.js';

export type TopologyArg = Pick<RunStartInput, 'topology' | 'topologyJson' | 'topologyDir'>;

export function topologyArg(command: string, services: Services, value: string | undefined): TopologyArg {
  if (value === undefined) return {};
  const known = services.hasTopology(value) || services.store.topologies.get(value) !== undefined;
  const isFile = existsSync(value) && statSync(value).isFile();
  if (known || !isFile) {
    if (!known && /[\\/]|\.json$/i.test(value)) throw new UsageError(`${command}: --topology: no file ${value}`);
    return { topology: value };
  }
  const json = readFileSync(value, 'utf8');
  const r = loadTopology(json);
  if (!r.ok) throw new UsageError(`${command}: ${value}: ${r.errors.map(formatTopologyError).join('; ')}`);
  return { topologyJson: json, topologyDir: dirname(resolve(value)) };
}
