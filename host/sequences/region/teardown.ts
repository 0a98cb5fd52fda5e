// `region-teardown`: decommit every region the decoders hold, as `cxl destroy-region` drives Linux
// (cxl_region_decode_reset): top-down from each host bridge to the endpoints, each component's decoders from
// the highest committed index down (a decoder may only be reset when it is the last committed one: Linux
// cxl_decoder_reset "out of order reset", -EBUSY). Locked decoders (Lock On Commit) stay and are reported.

import { hex } from '../../core/bytes.js';
import { cedtParse } from '../../core/cedt.js';
import { CTRL, hdmReadDecoder, hdmResetDecoder } from '../../core/hdm.js';
import { buildHostBridgeTree, type DecodeNode } from '../../core/topology-walk.js';
import type { Sequence, SequenceContext, SequenceResult } from '../../sequence.js';
import { StepLog } from '../step-log.js';

export interface TeardownResult extends SequenceResult {
  reset: number;
  locked: number;
}

export async function regionTeardownRun(ctx: SequenceContext): Promise<TeardownResult> {
  const log = new StepLog(ctx, 'region-teardown');
  const p = ctx.platform;
  if (!p) {
    log.fail('region-teardown', 'needs a platform (a topology with CEDT and host bridges)');
    return { summary: log.summary(), reset: 0, locked: 0 };
  }
  const cedt = cedtParse(p.cedt());
  let reset = 0;
  let locked = 0;
  const level: DecodeNode[] = [];
  for (const [i, c] of cedt.chbs.entries()) level.push(await buildHostBridgeTree(p, c, i, ctx.targets));
  // Breadth first: host bridges, then switches, then endpoints.
  for (let cur = level; cur.length; cur = cur.flatMap((n) => n.children.map((c) => c.node))) {
    for (const n of cur) {
      if (!n.hdm) continue;
      for (let i = n.decoderCount - 1; i >= 0; i--) {
        const d = await hdmReadDecoder(n.hdm, i);
        if (!d.committed) continue;
        if (d.lockOnCommit) {
          locked++;
          log.fail(`reset ${n.path} decoder ${i}`, 'locked (Lock On Commit): it stays committed until a reset (CXL 2.0 8.2.5.12.7)', `Control = ${hex(d.ctrl)}`);
          continue;
        }
        const ctrl = await hdmResetDecoder(n.hdm, i);
        if (ctrl & CTRL.committed) log.fail(`reset ${n.path} decoder ${i}`, 'Committed still set after clearing Commit', `Control = ${hex(ctrl)}`);
        else {
          reset++;
          log.pass(`reset ${n.path} decoder ${i}`, `decommitted ${hex(d.base, 12)} + ${hex(d.size)}`, `Control = ${hex(ctrl)}`);
        }
      }
    }
  }
  if (reset === 0 && locked === 0) log.info('region-teardown', 'no committed decoder: nothing to tear down');
  return { summary: log.summary(`${reset} decoder(s) decommitted`), reset, locked };
}

export const regionTeardownSequence: Sequence = {
  id: 'region-teardown',
  title: 'Region teardown',
  description: 'Decommit every committed region like `cxl destroy-region`: host bridge first, endpoints last, newest decoder first.',
  run: (ctx) => regionTeardownRun(ctx),
};
