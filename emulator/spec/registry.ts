// The block-kind map itself, in a module with no imports: emulator/spec/blocks.ts imports emulator/hdm (so every
// kind resolves from one import), and emulator/hdm registers through blocks.ts, which closes an import cycle.
// Keeping the map here means it exists before either module's body runs, whichever is loaded first.

import type { BlockDecl } from '../regs/types.js';

export type BlockParams = Readonly<Record<string, number>>;
export type BlockBuilder = (params: BlockParams) => BlockDecl;

export const kinds = new Map<string, BlockBuilder>();
