// Layouts for compare tests whose inputs are shaped to collide (few places and values, poll loops): two nodes
// with the fixture blocks, and the same with a CXL mailbox (registers at bar2 +0x200, payload at +0x220) so the
// Command Register / payload roles of trace/compare/mailbox-payload.ts come into play.
import type { Layout } from '../../common/layout.js';
import { resolveBlock } from '../../emulator/spec/blocks.js';
import { layoutFor, resolve } from './fixtures.js';

export const NODES = ['hb0.rp0.ep0', 'hb0.rp1.ep1'];
export const layout: Layout = NODES.flatMap((n) => layoutFor(n));
export const cxlLayout: Layout = layout.map((n) => ({
  ...n,
  blocks: [...n.blocks, { region: 'bar2', base: 0x200, block: 'cxl-mailbox' }, { region: 'bar2', base: 0x220, block: 'cxl-mailbox-payload' }],
}));
export const cxlResolve: typeof resolve = (id, p) => resolve(id, p) ?? resolveBlock(id, p);
