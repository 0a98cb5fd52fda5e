// API calls of the hardware-link surface (issue 7 user reach): serial ports on this machine, a link test
// (open, time a few ID reads, close), and the links used in this app session. Spread into table.ts.

import { z } from 'zod';
import { linkTestAddresses } from '../links/device-id-address.js';
import { linkRegistryOf } from '../links/link-registry.js';
import { testLink } from '../links/link-test.js';
import { listSerialPorts } from '../links/serial-ports.js';
import { parseLinkUri } from '../../hil/link.js';
import { ApiError } from './api-error.js';
import { none } from './fields.js';
import type { CallTable } from './call-def.js';

export const LINK_CALLS: CallTable<'links.serialPorts' | 'links.test' | 'links.list'> = {
  'links.serialPorts': {
    input: none,
    handler: () => listSerialPorts(),
  },

  'links.test': {
    input: z.strictObject({
      uri: z.string({ error: 'must be a link URI' }).min(1, { error: 'must be a link URI' }).max(500, { error: 'must be a link URI' }),
      map: z.string({ error: 'must be a device map file path' }).min(1).max(1000).optional(),
      reads: z.int({ error: 'must be an integer 1-1000' }).min(1, { error: 'must be an integer 1-1000' }).max(1000, { error: 'must be an integer 1-1000' }).optional(),
    }),
    handler: async (s, i) => {
      try {
        parseLinkUri(i.uri);
      } catch (e) {
        throw new ApiError('bad-input', `links.test: uri: ${(e as Error).message}`, 'uri');
      }
      let where: ReturnType<typeof linkTestAddresses>;
      try {
        where = linkTestAddresses(i.map, i.uri);
      } catch (e) {
        throw new ApiError('bad-input', `links.test: map: ${(e as Error).message}`, 'map');
      }
      const r = await testLink(i.uri, { ...where, ...(i.reads ? { reads: i.reads } : {}) });
      linkRegistryOf(s).record(i.uri, { state: r.ok ? 'idle' : 'failed', usedBy: 'test', error: r.error, latency: r.latency });
      s.log(r.ok ? 'info' : 'warn', `link test ${i.uri}: ${r.ok ? `id ${r.id}, mean ${r.latency?.meanUs} µs` : r.error}`);
      return r;
    },
  },

  'links.list': {
    input: none,
    handler: (s) => linkRegistryOf(s).list(),
  },
};
