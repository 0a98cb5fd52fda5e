// The live bench's part of the API table (contract-live.ts): topologies, a live platform per session, the
// register explorer, the mailbox console and injection. Spread into API in table.ts; `callApi` there stays the
// one dispatcher, so these inputs are validated the same way (errors name the field).

import { z } from 'zod';
import type { Width } from '../../common/access.js';
import { fromHex } from '../../host/core/bytes.js';
import { TYPE3_COMMANDS } from '../../emulator/mailbox/command-table.js';
import { loadTopology } from '../../emulator/topology/load.js';
import { deviceState, injectEvent, injectMedia, injectPoison, injectRas } from '../live/live-injections.js';
import { mailboxCommandInfos, parseOpcodeText } from '../live/mailbox-commands.js';
import { builtinTopology, checkTopologyText, EMPTY_TOPOLOGY, liveTopologyNames, savedTopology, topologySummaries, topologyView } from '../live/topology-catalog.js';
import { ApiError } from './api-error.js';
import type { LiveApiCalls, LiveRegion, NumberLike } from './contract-live.js';
import type { CallDef } from './table.js';

type LiveTable = { [N in keyof LiveApiCalls]: CallDef<N> };

const sessionId = z.int({ error: 'must be a positive integer' }).positive({ error: 'must be a positive integer' });
const node = z.string({ error: 'must be a node path' }).min(1, { error: 'must be a node path' }).max(200, { error: 'must be a node path' });
const topologyName = z.string({ error: 'must be a topology name' }).min(1, { error: 'must be a topology name' }).max(100, { error: 'must be a topology name' });
const region = z.enum(['cfg', 'bar0', 'bar1', 'bar2', 'bar3', 'bar4', 'bar5', 'chbcr'], { error: 'must be cfg, bar0-bar5 or chbcr' });
const HEX_TEXT = /^(0x)?[0-9a-f]{1,16}$/i;
/** An unsigned integer or hex text ("0x1000"). */
const numberLike = (what: string): z.ZodType<NumberLike> =>
  z.union([z.int({ error: `must be ${what}: an integer >= 0 or hex text (0x...)` }).min(0, { error: `must be ${what}: an integer >= 0 or hex text (0x...)` }), z.string().regex(HEX_TEXT, { error: `must be ${what}: an integer >= 0 or hex text (0x...)` })], { error: `must be ${what}: an integer >= 0 or hex text (0x...)` });
const none = z.strictObject({}) as unknown as z.ZodType<Record<string, never>>;

const toBigInt = (v: NumberLike): bigint => (typeof v === 'number' ? BigInt(v) : BigInt(/^0x/i.test(v) ? v : `0x${v}`));

/** A NumberLike that must be a safe integer (addresses, counts). */
function toNumber(v: NumberLike, field: string): number {
  const b = toBigInt(v);
  if (b > BigInt(Number.MAX_SAFE_INTEGER)) throw new ApiError('bad-input', `${field}: must be below 2^53`, field);
  return Number(b);
}

export const LIVE_CALLS: LiveTable = {
  'topology.list': {
    input: none,
    handler: () => topologySummaries(),
  },

  'topology.show': {
    input: z.strictObject({ name: topologyName.optional(), json: z.string({ error: 'must be topology file text' }).max(1 << 20, { error: 'must be at most 1 MiB' }).optional() }),
    handler: (s, i) => {
      if ((i.name === undefined) === (i.json === undefined)) throw new ApiError('bad-input', 'topology.show: name: give a topology name or its json text (one of them)', 'name');
      if (i.name !== undefined) {
        // A built-in, else a topology saved with topologies.save.
        const t = builtinTopology(i.name) ?? savedTopology(s.store.topologies, i.name);
        if (!t) {
          const hint = i.name === EMPTY_TOPOLOGY ? ' (the empty bench has no tree)' : '';
          throw new ApiError('not-found', `unknown topology "${i.name}"${hint} (built-in: ${liveTopologyNames().join(', ')})`, 'name');
        }
        return topologyView(t);
      }
      const r = loadTopology(i.json!);
      if (!r.ok) {
        const first = r.errors[0]!;
        const text = r.errors.map((e) => `${e.path || '(file)'}: ${e.message}`).join('; ');
        throw new ApiError('bad-input', `topology.show: json: ${text}`, first.path ? `json.${first.path}` : 'json');
      }
      return topologyView(r.topology);
    },
  },

  'topology.check': {
    input: z.strictObject({ json: z.string({ error: 'must be topology file text' }).max(1 << 20, { error: 'must be at most 1 MiB' }) }),
    handler: (_s, i) => checkTopologyText(i.json),
  },

  'live.open': {
    input: z.strictObject({ sessionId, topology: topologyName.optional(), topologyJson: z.string({ error: 'must be topology file text' }).max(1 << 20, { error: 'must be at most 1 MiB' }).optional() }),
    handler: (s, i) => s.live.open(i.sessionId, i.topology, i.topologyJson),
  },

  'live.close': {
    input: z.strictObject({ sessionId }),
    handler: (s, i) => s.live.close(i.sessionId),
  },

  'live.get': {
    input: z.strictObject({ sessionId }),
    handler: (s, i) => s.live.find(i.sessionId),
  },

  'regs.blocks': {
    input: z.strictObject({ sessionId, node }),
    handler: (s, i) => s.live.get(i.sessionId).blocks(i.node),
  },

  'regs.read': {
    input: z.strictObject({ sessionId, node, region, block: z.string({ error: 'must be a block id or base (0x...)' }).min(1).max(100).optional() }),
    handler: (s, i) => s.live.get(i.sessionId).read(i.node, i.region, i.block),
  },

  'regs.write': {
    input: z.strictObject({
      sessionId,
      node,
      region,
      offset: z.int({ error: 'must be an integer 0-0xffffffff' }).min(0, { error: 'must be an integer 0-0xffffffff' }).max(0xffff_ffff, { error: 'must be an integer 0-0xffffffff' }),
      width: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(8)], { error: 'must be 1, 2, 4 or 8' }),
      value: numberLike('the value'),
    }),
    handler: (s, i) => {
      const v = toBigInt(i.value);
      if (v >= 1n << BigInt(8 * i.width)) throw new ApiError('bad-input', `regs.write: value: 0x${v.toString(16)} does not fit ${i.width} bytes`, 'value');
      if (i.region === 'cfg' && i.width === 8) throw new ApiError('bad-input', 'regs.write: width: config space takes 1, 2 or 4 bytes', 'width');
      return s.live.get(i.sessionId).write(i.node, i.region as LiveRegion, i.offset, i.width as Width, v);
    },
  },

  'mailbox.commands': {
    input: z.strictObject({ sessionId: sessionId.optional(), node: node.optional() }),
    handler: (s, i) => {
      if (i.sessionId === undefined || i.node === undefined) return mailboxCommandInfos(TYPE3_COMMANDS);
      const be = s.live.get(i.sessionId).type3Node(i.node).type3.backend as { commands?: typeof TYPE3_COMMANDS };
      return mailboxCommandInfos(be.commands ?? TYPE3_COMMANDS);
    },
  },

  'mailbox.send': {
    input: z.strictObject({
      sessionId,
      node,
      opcode: z.union([z.int(), z.string().min(1).max(80)], { error: 'must be an opcode (0x4000) or a command name (identify)' }),
      payloadHex: z.string({ error: 'must be hex bytes' }).max(2 << 20, { error: 'must be at most 1 MiB of hex' }).optional(),
    }),
    handler: async (s, i) => {
      const op = parseOpcodeText(i.opcode);
      if (!op.ok) throw new ApiError('bad-input', `mailbox.send: opcode: ${op.message}`, 'opcode');
      if (i.payloadHex !== undefined && !fromHex(i.payloadHex)) throw new ApiError('bad-input', 'mailbox.send: payloadHex: must be hex bytes (an even number of hex digits)', 'payloadHex');
      return s.live.get(i.sessionId).mailbox(i.node, op.opcode, i.payloadHex ?? '');
    },
  },

  'inject.poison': {
    input: z.strictObject({ sessionId, node, dpa: numberLike('a DPA'), length: z.int({ error: 'must be a multiple of 64' }).positive({ error: 'must be a multiple of 64' }).optional() }),
    handler: (s, i) => injectPoison(s.live.get(i.sessionId), i.node, toNumber(i.dpa, 'dpa'), i.length),
  },

  'inject.event': {
    input: z.strictObject({
      sessionId,
      node,
      log: z.enum(['informational', 'warning', 'failure', 'fatal'], { error: 'must be informational, warning, failure or fatal' }),
      kind: z.enum(['general-media', 'dram', 'memory-module'], { error: 'must be general-media, dram or memory-module' }),
      dpa: numberLike('a DPA').optional(),
      flags: z.int({ error: 'must be an integer 0-0xffffff' }).min(0, { error: 'must be an integer 0-0xffffff' }).max(0xff_ffff, { error: 'must be an integer 0-0xffffff' }).optional(),
      eventType: z.int({ error: 'must be an integer 0-255' }).min(0, { error: 'must be an integer 0-255' }).max(255, { error: 'must be an integer 0-255' }).optional(),
    }),
    handler: (s, i) =>
      injectEvent(s.live.get(i.sessionId), i.node, i.log, i.kind, {
        ...(i.dpa !== undefined ? { dpa: toNumber(i.dpa, 'dpa') } : {}),
        ...(i.flags !== undefined ? { flags: i.flags } : {}),
        ...(i.eventType !== undefined ? { eventType: i.eventType } : {}),
      }),
  },

  'inject.ras': {
    input: z.strictObject({
      sessionId,
      node,
      kind: z.enum(['uncorrectable', 'correctable'], { error: 'must be uncorrectable or correctable' }),
      bits: numberLike('a status bit mask'),
      unmask: z.boolean({ error: 'must be true or false' }).optional(),
    }),
    handler: (s, i) => {
      const bits = toBigInt(i.bits);
      if (bits === 0n || bits > 0xffff_ffffn) throw new ApiError('bad-input', 'inject.ras: bits: must be a nonzero 32-bit mask', 'bits');
      return injectRas(s.live.get(i.sessionId), i.node, i.kind, Number(bits), i.unmask ?? false);
    },
  },

  'inject.media': {
    input: z.strictObject({ sessionId, node, state: z.enum(['ready', 'not-ready', 'error', 'disabled'], { error: 'must be ready, not-ready, error or disabled' }) }),
    handler: (s, i) => injectMedia(s.live.get(i.sessionId), i.node, i.state),
  },

  'live.device': {
    input: z.strictObject({ sessionId, node }),
    handler: (s, i) => deviceState(s.live.get(i.sessionId), i.node),
  },
};
