// Regions on a session's live bench (issue 13): create a ram/pmem region the way Linux does, tear regions
// down, `cxl list -vvv` of the bench, and the decode chain of an HPA. Types only (the renderer imports them via
// contract.ts); handlers in calls-regions.ts. Every access and step lands in the session's console run.

import type { DecodeChain } from '../../host/core/decode-chain.js';
import type { KernelId } from '../../host/sequences/region/kernel-rules.js';
import type { RegionInfo, RegionMode } from '../../host/sequences/region/index.js';
import type { NumberLike } from './contract-live.js';

export type { DecodeChain, DecodeHop } from '../../host/core/decode-chain.js';
export type { RegionInfo, RegionMode, RegionTarget } from '../../host/sequences/region/index.js';
export type { KernelId } from '../../host/sequences/region/kernel-rules.js';

/** One step of a region sequence, as recorded in the console run. */
export interface RegionStep {
  name: string;
  verdict: 'pass' | 'warn' | 'fail' | 'info';
  reason: string;
  evidence?: string;
}

export interface RegionCreateInput {
  sessionId: number;
  mode?: RegionMode;
  kernel?: KernelId;
  ways?: number;
  granularity?: number;
  window?: number;
  /** Endpoint paths to interleave (default: all below the window, or `ways` of them). */
  endpoints?: string[];
  /** Leave the region committed (default true on a live bench: that is what makes it visible). */
  keep?: boolean;
  /** Run the memory test (default true). */
  memtest?: boolean;
  /** pmem: write region and namespace labels into each device's LSA. */
  labels?: boolean;
  testBytes?: number;
}

export interface RegionCreateResult {
  summary: string;
  region: RegionInfo | null;
  memtest: { bytes: number; errors: number } | null;
  steps: RegionStep[];
}

export interface RegionTeardownResult {
  summary: string;
  reset: number;
  locked: number;
  steps: RegionStep[];
}

/** A device's LSA, decoded (host/lsa/labels.ts): index blocks, the one in force, labels, problems. */
export interface LsaIndexView {
  offset: number;
  seq: number;
  nslot: number;
  labeloff: number;
  major: number;
  minor: number;
  freeSlots: number;
  checksumOk: boolean;
}
export interface LsaView {
  node: string;
  size: number;
  index: Array<LsaIndexView | null>;
  current: number | null;
  labels: unknown[];
  problems: string[];
}

export interface RegionsApiCalls {
  'regions.create': [RegionCreateInput, RegionCreateResult];
  'regions.teardown': [{ sessionId: number }, RegionTeardownResult];
  /** `cxl list -vvv` JSON of the live bench as its registers are now (ndctl v76 field names). */
  'regions.list': [{ sessionId: number; kernel?: KernelId }, { cxlList: unknown[] }];
  /** The decode chain of an HPA: window -> host bridge -> switch -> endpoint -> DPA, or where it breaks. */
  'regions.decode': [{ sessionId: number; hpa: NumberLike }, DecodeChain];
  /** A Type 3 node's Label Storage Area read with Get LSA and decoded. */
  'regions.labels': [{ sessionId: number; node: string }, LsaView];
}
