// What a comparison may be told (DESIGN.md 5): which layouts decode each side, how A's node names map to B's,
// how absolute addresses rebase onto BARs, which fields legitimately differ.

import type { Region, Space } from '../../common/access.js';
import type { Layout } from '../../common/layout.js';
import type { BlockResolver } from '../layout-index.js';
import type { AlignMode } from './streams.js';

/**
 * Move accesses in the window [base, base + size) of (node?, space?, region?) to offset - base in `to`
 * (parts of `to` left out stay as they were). For traces that saw a BAR at an absolute address ('mem' space
 * or a different BAR assignment) compared with one that saw it BAR-relative.
 */
export interface RebaseRule {
  node?: string;
  space?: Space;
  region?: Region;
  base: number;
  size: number;
  to: { node?: string; space?: Space; region?: Region };
}

export interface CompareOptions {
  /** Layouts for register keys, field masks and field decode (node names of that side). */
  layoutA?: Layout;
  layoutB?: Layout;
  /** emulator/spec/blocks.ts `resolveBlock` (needed with layouts). */
  resolve?: BlockResolver;
  /** A's node name → B's, applied after rebasing. Unlisted names stay. */
  nodeMap?: Readonly<Record<string, string>>;
  rebaseA?: readonly RebaseRule[];
  rebaseB?: readonly RebaseRule[];
  /**
   * Fields whose value is ignored: "block.register.field" or "register.field" (case-insensitive; block by id
   * or name; '*' matches any one part), or "mailbox.<opcode>" (e.g. "mailbox.0x4200") to ignore that command's
   * output payload: the mailbox record's output and the Command Payload register reads that returned it.
   */
  masks?: readonly string[];
  /** Apply DEFAULT_FIELD_MASKS / DEFAULT_MAILBOX_OUTPUT_MASKS (default true). */
  defaultMasks?: boolean;
  /**
   * Fold poll loops (default true; normalise.ts has the rules): N identical reads of one register become one
   * entry with count N, and a loop reading up to POLL_WINDOW registers in turn folds when it waited on masked
   * state. Counts are compared (a mailbox busy for 3 more polls is a difference), except for a loop whose reads
   * differed only in masked bits: it waited on masked, timing-dependent state (Percentage Complete, Background
   * Operation), so it stands for "poll until done" and its length is as timing-dependent as that state.
   */
  foldPolls?: boolean;
  /**
   * 'node' (default): each node's events (config, BARs, CHBCR, mailbox records; steps by the node their name
   * starts with) are aligned within their own stream, so two runs that probed their devices in different
   * interleavings still align; then merged for display in A's order. 'global': one alignment in recorded order.
   */
  align?: AlignMode;
  /** Compare only this node's stream (B's name; with `nodeMap` mapping A's node to it). */
  node?: string;
}

/**
 * Fields that differ legitimately between runs and boards, matched against field names and register names:
 * timestamps, serial numbers, background-operation progress (CXL 2.0 8.2.8.4.7 Percentage Complete) and the
 * MB Status Background Operation bit (8.2.8.4.6 bit 0), which is the same progress seen as "not yet 100 %":
 * whether a background command is still running at a given read depends only on how fast the device is
 * compared with the host (a 64-byte Scan Media is done before the first poll on silicon, running in an
 * emulator whose clock only moves when the host sleeps, and in QEMU until its 100 ms background tick). That the
 * bit is set while a command runs is pinned by conformance (mbox.background-busy), whose verdict is compared.
 */
export const DEFAULT_FIELD_MASKS: readonly RegExp[] = [/time ?stamp/i, /serial/i, /percent(age)?[ _]?complete/i, /progress/i, /^background operation$/i];

/**
 * A poll loop reads at most this many registers per iteration (the background wait reads Background Command
 * Status and MB Status each time round, CXL 2.0 8.2.8.4.6-7): the fold looks this far back for the register.
 */
export const POLL_WINDOW = 4;

/** Mailbox commands whose output is a timestamp: Get Timestamp (CXL 2.0 8.2.9.3.1, opcode 0300h). */
export const DEFAULT_MAILBOX_OUTPUT_MASKS: readonly number[] = [0x0300];
