// Trace comparison (DESIGN.md 5). Entry point: compareTraces(a, b, options).
export { compareTraces } from './compare.js';
export type { CompareCounts, CompareResult, DeviceSummary, DiffItem, DiffKind, FieldDiff, Hunk, RegisterSummary, SideView, StructureSummary } from './compare.js';
export { moveText, type StructureMove } from './structure-moves.js';
export type { AlignMode } from './streams.js';
export { DEFAULT_FIELD_MASKS, DEFAULT_MAILBOX_OUTPUT_MASKS, type CompareOptions, type RebaseRule } from './options.js';
