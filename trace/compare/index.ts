// Trace comparison (DESIGN.md 5). Entry point: compareTraces(a, b, options).
export { compareTraces } from './compare.js';
export type { CompareCounts, CompareResult, DiffItem, DiffKind, FieldDiff, Hunk, RegisterSummary, SideView } from './compare.js';
export { DEFAULT_FIELD_MASKS, DEFAULT_MAILBOX_OUTPUT_MASKS, type CompareOptions, type RebaseRule } from './options.js';
