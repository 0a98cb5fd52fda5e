// Behaviour attached to a block kind wherever it is instantiated (e.g. emulator/hdm registers the HDM decoder
// commit/lock semantics for 'cxl-hdm-decoder'; every Type 3 device, port and host bridge then gets it).
// Declarations stay in emulator/spec/blocks.ts; this is only the "what happens on a write" half.

import type { RegisterBlock } from '../regs/register-block.js';
import type { BlockParams } from '../spec/blocks.js';

export interface BehaviourContext {
  /** Topology role of the function that owns the block ('type3', 'root-port', 'switch-usp', ...). */
  role: string;
  params: BlockParams;
}

export type BlockBehaviour = (block: RegisterBlock, ctx: BehaviourContext) => void;

const behaviours = new Map<string, BlockBehaviour>();

export function registerBlockBehaviour(kind: string, attach: BlockBehaviour): void {
  behaviours.set(kind, attach);
}

export function blockBehaviour(kind: string): BlockBehaviour | undefined {
  return behaviours.get(kind);
}
