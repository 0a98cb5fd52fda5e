// Everything a Type 3 device remembers behind its mailbox: capacity and partitions, media bytes and LSA, event
// logs, poison, health and alerts, firmware slots, features, security, timestamp and the background operation.
// Handlers (handlers/*.ts) read and change this; the register model only sees it through MailboxBackend.

import type { Clock } from '../../../common/clock.js';
import { dpa, MiB } from '../../../common/units.js';
import { SparseMedia } from '../../media/sparse-media.js';
import type { Type3Config } from '../../type3/config.js';
import { mailboxProfile, type MailboxProfile } from '../profile.js';
import { BackgroundOps } from './background.js';
import { EventLogs } from './event-logs.js';
import { PoisonList, type PoisonRange } from './poison-list.js';
import { SecurityState } from './security.js';

/** Capacity unit of Identify and the partition commands (CXL 2.0 8.2.9.5.1.1). */
export const CAPACITY_UNIT = 256 * MiB;

export type MediaState = 'ready' | 'disabled' | 'error' | 'not-ready';
export type ResetKind = 'cold' | 'warm' | 'hot' | 'cxl';

export interface HealthState {
  /** Health Status bits (CXL 2.0 8.2.9.5.3.1): maintenance needed, performance degraded, replacement needed. */
  healthStatus: number;
  /** Percent of rated life used; 0xFF = not implemented. */
  lifeUsed: number;
  /** Degrees Celsius. */
  temperature: number;
  dirtyShutdownCount: number;
  correctedVolatileErrors: number;
  correctedPersistentErrors: number;
}

export interface AlertState {
  /** Enabled alerts (Valid Alerts bits). */
  enabled: number;
  lifeUsedCritical: number;
  lifeUsedWarning: number;
  overTempCritical: number;
  underTempCritical: number;
  overTempWarning: number;
  underTempWarning: number;
  correctedVolatileWarning: number;
  correctedPersistentWarning: number;
}

export interface FirmwareState {
  slots: (string | null)[];
  /** 1-based active slot. */
  active: number;
  /** 1-based slot activated on next reset, 0 = none. */
  staged: number;
  /** Transfer in progress (initiated and not yet ended). */
  transfer: { slotHint: number; received: number; image: Uint8Array[] } | null;
}

export interface PatrolScrubState {
  cycleHours: number;
  enabled: boolean;
}

export interface ScanResults {
  records: PoisonRange[];
  /** Records already returned by Get Scan Media Results. */
  cursor: number;
  stoppedPrematurely: boolean;
  restartDpa: number;
  restartLength: number;
}

export const FW_SLOTS = 2;
export const PATROL_SCRUB_DEFAULT: PatrolScrubState = { cycleHours: 12, enabled: true };
export const PATROL_SCRUB_MIN_CYCLE_HOURS = 1;

export class Type3State {
  readonly media: SparseMedia;
  readonly lsa: Uint8Array;
  readonly poison = new PoisonList();
  readonly events = new EventLogs();
  readonly background: BackgroundOps;
  readonly security = new SecurityState();

  /**
   * Partitionable bytes currently given to volatile capacity; `nextPartitionVolatile` is pending for reset.
   * Power-on default: all of it volatile, matching the DVSEC ranges and CDAT emulator/type3 builds.
   */
  partitionVolatile: number;
  nextPartitionVolatile: number | null = null;

  /** Media Status as injected (sanitize and secure erase override it with Disabled while they run). */
  mediaState: MediaState = 'ready';
  mailboxReady = true;
  fatal = false;
  fwHalt = false;
  resetNeeded = 0;

  health: HealthState = {
    healthStatus: 0,
    lifeUsed: 3,
    temperature: 35,
    dirtyShutdownCount: 0,
    correctedVolatileErrors: 0,
    correctedPersistentErrors: 0,
  };
  /** Health Info Media Status override (e.g. 3 "all data lost"); null = derived from mediaState. */
  healthMediaStatus: number | null = null;
  alerts: AlertState = {
    enabled: 0,
    lifeUsedCritical: 90,
    lifeUsedWarning: 75,
    overTempCritical: 85,
    underTempCritical: -5,
    overTempWarning: 70,
    underTempWarning: 0,
    correctedVolatileWarning: 100,
    correctedPersistentWarning: 100,
  };
  shutdownDirty = false;
  /** Event Interrupt Policy settings bytes per log (CXL 2.0 8.2.9.1.4). */
  interruptPolicy = new Uint8Array(5);
  readonly profile: MailboxProfile;
  firmware: FirmwareState;
  patrolScrub: PatrolScrubState = { ...PATROL_SCRUB_DEFAULT };
  /** Set Feature multi-part transfer in progress. */
  featureTransfer: { uuid: Uint8Array; data: Uint8Array; received: number } | null = null;
  scanResults: ScanResults | null = null;
  /** Get Poison List paging: the range last asked for and how many records were returned. */
  poisonCursor: { dpa: number; length: number; returned: number } | null = null;
  private timestampBase: bigint | null = null;
  private timestampSetAt = 0;

  /** Called when a log goes from empty to non-empty (the register model raises the event interrupt). */
  onEventLogged: ((log: number) => void) | null = null;

  constructor(
    readonly config: Type3Config,
    readonly clock: Clock,
  ) {
    this.profile = mailboxProfile(config.profile);
    this.partitionVolatile = config.partitionableBytes;
    this.firmware = { slots: [...this.profile.fwSlots], active: 1, staged: 0, transfer: null };
    this.media = new SparseMedia(this.totalBytes);
    this.lsa = new Uint8Array(config.lsaBytes);
    this.background = new BackgroundOps(clock);
  }

  get totalBytes(): number {
    return this.config.volatileBytes + this.config.persistentBytes + this.config.partitionableBytes;
  }

  /** Active volatile capacity: volatile-only plus the partitionable part given to volatile (DPA 0 upwards). */
  get volatileBytes(): number {
    return this.config.volatileBytes + this.partitionVolatile;
  }

  get persistentBytes(): number {
    return this.totalBytes - this.volatileBytes;
  }

  /** Media Status of the Memory Device Status register, after background operations have had their say. */
  effectiveMediaState(): MediaState {
    const op = this.background.runningOpcode;
    if (op === 0x4400 || op === 0x4401) return 'disabled'; // CXL 2.0 8.2.9.5.5.1: media disabled while sanitizing
    return this.mediaState;
  }

  /** Device timestamp (CXL 2.0 8.2.9.3): what Set Timestamp wrote plus virtual time since; 0 if never set. */
  timestamp(): bigint {
    if (this.timestampBase === null) return 0n;
    return this.timestampBase + BigInt(Math.max(0, Math.round(this.clock.now() - this.timestampSetAt)));
  }

  setTimestamp(ns: bigint): void {
    this.timestampBase = ns;
    this.timestampSetAt = this.clock.now();
  }

  /** Append an event record to `log`; raises the interrupt hook when the log was empty. */
  logEvent(log: number, record: Uint8Array): number {
    const target = this.events.logs[log];
    if (target === undefined) return 0;
    const wasEmpty = target.records.length === 0;
    const handle = target.add(record, this.timestamp());
    if (wasEmpty && handle !== 0) this.onEventLogged?.(log);
    return handle;
  }

  /** Device reset (CXL 2.0 8.2.9.5.2.2: a pending partition change takes effect; volatile contents are lost). */
  reset(kind: ResetKind): void {
    this.background.interrupt();
    if (kind !== 'cxl' && this.nextPartitionVolatile !== null) {
      this.applyPartition(this.nextPartitionVolatile);
      this.nextPartitionVolatile = null;
    }
    if (kind === 'cold') {
      if (this.shutdownDirty) this.health.dirtyShutdownCount += 1; // CXL 2.0 8.2.9.5.3.1 Dirty Shutdown Count
      this.media.zeroRange(dpa(0), this.volatileBytes);
      this.poison.retain((r) => r.dpa >= this.volatileBytes);
    }
    this.security.reset(kind);
    if (this.firmware.staged !== 0 && kind !== 'cxl') {
      this.firmware.active = this.firmware.staged;
      this.firmware.staged = 0;
    }
    this.firmware.transfer = null;
    this.featureTransfer = null;
    this.poisonCursor = null;
    this.resetNeeded = 0;
  }

  /** Move the volatile/persistent boundary; capacity that changes type loses its contents. */
  applyPartition(partitionVolatile: number): void {
    const oldEdge = this.volatileBytes;
    this.partitionVolatile = partitionVolatile;
    const newEdge = this.volatileBytes;
    const lo = Math.min(oldEdge, newEdge);
    const hi = Math.max(oldEdge, newEdge);
    if (hi > lo) {
      this.media.zeroRange(dpa(lo), hi - lo);
      this.poison.remove(lo, hi - lo);
    }
  }
}
