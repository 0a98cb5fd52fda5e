// Malformed topology files for `cxl-bench topology check`: each built from the valid 'single' topology by one
// mutation, with the field path the error must name. Generated in the test, never checked in as blobs.

import { DEFAULT_TOPOLOGIES } from '../../emulator/topology/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures mutate arbitrary JSON
type Json = Record<string, any>;

const base = (): Json => structuredClone(DEFAULT_TOPOLOGIES.single) as Json;
const mutate = (f: (t: Json) => void): string => {
  const t = base();
  f(t);
  return JSON.stringify(t, null, 2);
};
const EP = 'hostBridges[0].rootPorts[0].endpoint';

/** [case name, file text, field paths that must each be named on their own line]. */
export const MALFORMED: readonly [string, string, string[]][] = [
  ['not JSON', '{"name": "x", hostBridges: []', ['(file)']],
  ['no host bridges', mutate((t) => delete t.hostBridges), ['hostBridges']],
  ['uid is text', mutate((t) => (t.hostBridges[0].uid = 'zero')), ['hostBridges[0].uid']],
  ['unknown endpoint field', mutate((t) => (t.hostBridges[0].rootPorts[0].endpoint.colour = 'red')), [EP]],
  ['capacity is not a size', mutate((t) => (t.hostBridges[0].rootPorts[0].endpoint.capacity.volatile = '12 bananas')), [`${EP}.capacity.volatile`]],
  ['decoder count not in the spec set', mutate((t) => (t.hostBridges[0].rootPorts[0].endpoint.decoders = 3)), [`${EP}.decoders`]],
  ['window granularity not a power of two', mutate((t) => (t.windows[0].granularity = 300)), ['windows[0].granularity']],
  ['window targets an unknown host bridge', mutate((t) => (t.windows[0].targets = [7])), ['windows[0].targets[0]']],
  ['restriction is not a known bit', mutate((t) => (t.windows[0].restrictions = ['blue'])), ['windows[0].restrictions[0]']],
  ['downstream ports not a list', mutate((t) => (t.hostBridges[0].rootPorts[0] = { port: 0, switch: { downstreamPorts: 4 } })), ['hostBridges[0].rootPorts[0].switch.downstreamPorts']],
  ['port number is text', mutate((t) => (t.hostBridges[0].rootPorts[0].port = 'a')), ['hostBridges[0].rootPorts[0].port']],
  ['window size not a multiple of 256 MiB', mutate((t) => (t.windows[0].size = '100MiB')), ['windows[0].size']],
  [
    'two bad fields at once',
    mutate((t) => {
      t.hostBridges[0].uid = 'zero';
      t.windows[0].targets = 'all';
    }),
    ['hostBridges[0].uid', 'windows[0].targets'],
  ],
];
