// Layouts for compare tests whose inputs are shaped to collide (few places and values, poll loops): two nodes
// with the fixture blocks, and the same with a CXL mailbox (registers at bar2 +0x200, payload at +0x220) so the
// Command Register / payload roles of trace/compare/mailbox-payload.ts come into play.
import type { Layout } from '../../common/layout.js';
import type { CompareOptions } from '../../trace/compare/index.js';
import { resolveBlock } from '../../emulator/spec/blocks.js';
import { layoutFor, resolve } from './fixtures.js';

export const NODES = ['hb0.rp0.ep0', 'hb0.rp1.ep1'];
export const layout: Layout = NODES.flatMap((n) => layoutFor(n));
export const cxlLayout: Layout = layout.map((n) => ({
  ...n,
  blocks: [...n.blocks, { region: 'bar2', base: 0x200, block: 'cxl-mailbox' }, { region: 'bar2', base: 0x220, block: 'cxl-mailbox-payload' }],
}));
export const cxlResolve: typeof resolve = (id, p) => resolve(id, p) ?? resolveBlock(id, p);

/** Option sets a columnar compare must agree with the event path on: masks, folding, layouts, node maps. */
export const COMPARE_OPTION_SETS: readonly CompareOptions[] = [
  {},
  { foldPolls: false },
  { defaultMasks: false },
  { layoutA: layout, layoutB: layout, resolve },
  { layoutA: layout, layoutB: layout, resolve, foldPolls: false },
  { layoutA: layout, layoutB: layout, resolve, masks: ['Mailbox.Control.Doorbell', 'mailbox.0x4000'], defaultMasks: false },
  { nodeMap: { 'hb0.rp0.ep0': 'hb0.rp1.ep1', 'hb0.rp1.ep1': 'hb0.rp0.ep0' }, layoutB: layout, resolve },
  { layoutA: cxlLayout, layoutB: cxlLayout, resolve: cxlResolve },
  { layoutA: cxlLayout, layoutB: cxlLayout, resolve: cxlResolve, masks: ['mailbox.0x0001', 'Mailbox Status.Return Code'] },
];
