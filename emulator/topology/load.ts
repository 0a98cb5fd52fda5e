// loadTopology: JSON text or an object -> a validated Topology, or every error with the exact field path.

import { jsonTooDeep } from '../../common/json-depth.js';
import { topologySchema } from './schema.js';
import type { TopologyError, TopologyResult } from './types.js';
import { validateTopology } from './validate.js';

/** "hostBridges[0].rootPorts[1].endpoint" from zod's ['hostBridges', 0, 'rootPorts', 1, 'endpoint']. */
export const formatFieldPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)), '');

/** JSON nesting a topology file may have (objects and arrays). */
export const TOPOLOGY_MAX_DEPTH = 400;

export const formatTopologyError = (e: TopologyError): string => `${e.path || '(file)'}: ${e.message}`;

export const loadTopology = (input: string | unknown): TopologyResult => {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (err) {
      return { ok: false, errors: [{ path: '', message: `not valid JSON: ${(err as Error).message}` }] };
    }
  }
  // Deeper than any PCIe tree can be (256 buses: at most ~127 nested switches, 3 JSON levels each), and
  // shallow enough for the recursive validation below to stay on the stack.
  const deep = jsonTooDeep(value, TOPOLOGY_MAX_DEPTH);
  if (deep) return { ok: false, errors: [{ path: deep.path, message: `${deep.message} (a topology nests at most ${TOPOLOGY_MAX_DEPTH})` }] };
  const parsed = topologySchema.safeParse(value);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => {
      const extra = i.code === 'unrecognized_keys' ? i.keys.map((k) => `"${k}"`).join(', ') : '';
      return {
        path: formatFieldPath(i.path),
        message: extra ? `unknown field ${extra}` : i.message.replace(/^Invalid input: expected (\w+), received (\w+)$/, 'must be a $1 (got $2)'),
      };
    });
    return { ok: false, errors };
  }
  const { topology, errors } = validateTopology(parsed.data);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, topology };
};
