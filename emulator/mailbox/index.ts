// A CXL 2.0 Type 3 memory device's mailbox command set and device state, behind the MailboxBackend seam the
// register model (emulator/device/) drives. The memory path (emulator/memory/) reads `media` and asks
// `mediaAccess` before each access.

import type { Clock } from '../../common/clock.js';
import type { Dpa } from '../../common/units.js';
import type { SparseMedia } from '../media/sparse-media.js';
import type { Type3Config } from '../type3/config.js';
import type { BackgroundStatus, MailboxBackend, MediaStatus } from './backend.js';
import { buildCel } from './cel.js';
import { commandByOpcode, TYPE3_COMMANDS, type CommandDef } from './command-table.js';
import { dispatch } from './dispatch.js';
import { createInjection, type Type3Injection } from './inject.js';
import { Type3State, type MediaState, type ResetKind } from './state/device-state.js';
import { EVENT_LOG_COUNT } from './state/event-logs.js';
import type { PoisonList } from './state/poison-list.js';

/** What the memory path may do with `[dpa, dpa+length)` right now. */
export type MediaAccess = 'ok' | 'poisoned' | 'media-disabled' | 'locked' | 'out-of-range';

/** Device summary for the UI. */
export interface Type3Summary {
  mediaState: MediaState;
  volatileBytes: number;
  persistentBytes: number;
  pendingVolatileBytes: number | null;
  lsaBytes: number;
  mediaAllocatedBytes: number;
  eventCounts: number[];
  eventOverflow: boolean[];
  poisonRecords: number;
  poisonOverflow: boolean;
  background: BackgroundStatus;
  security: number;
  shutdownDirty: boolean;
  timestampNs: bigint;
  fwActiveSlot: number;
  fwSlots: (string | null)[];
}

/** Callbacks into the register model: interrupts are its business (CXL 2.0 8.2.8.4.3, 8.2.9.1.4). */
export interface Type3Notifier {
  /** An event log went from empty to non-empty; `policy` is that log's Event Interrupt Policy byte. */
  eventLogged?(log: number, policy: number): void;
  /** A background operation completed or was aborted (Background Command Complete interrupt). */
  backgroundComplete?(status: BackgroundStatus): void;
}

export interface Type3Backend extends MailboxBackend {
  readonly config: Type3Config;
  /** Volatile (DPA 0 up) then persistent capacity. */
  readonly media: SparseMedia;
  readonly lsa: Uint8Array;
  readonly poison: PoisonList;
  readonly inject: Type3Injection;
  /** The command table this device implements (the mailbox console lists it). */
  readonly commands: readonly CommandDef[];
  /** The Command Effects Log bytes, as Get Log returns them. */
  readonly cel: Uint8Array;
  /** Check an access before the memory path touches `media`. */
  mediaAccess(dpa: Dpa, length: number): MediaAccess;
  /** Device reset: a pending Set Partition Info and staged firmware take effect; cold loses volatile data. */
  reset(kind: ResetKind): void;
  state(): Type3Summary;
  setNotifier(notifier: Type3Notifier | null): void;
  /** The full state, for tests and tools that need to look deeper. */
  readonly device: Type3State;
}

const MEDIA_STATUS: Record<MediaState, MediaStatus> = { 'not-ready': 0, ready: 1, error: 2, disabled: 3 };

export function createType3Backend(config: Type3Config, clock: Clock): Type3Backend {
  const dev = new Type3State(config, clock);
  const commands = TYPE3_COMMANDS.filter((c) => !dev.profile.omit.has(c.opcode));
  const byOpcode = commandByOpcode(commands);
  const cel = buildCel(commands);
  const inject = createInjection(dev);
  let notifier: Type3Notifier | null = null;
  dev.onEventLogged = (log) => notifier?.eventLogged?.(log, dev.interruptPolicy[log] ?? 0);
  dev.background.onComplete = (status) => notifier?.backgroundComplete?.(status);

  return {
    config,
    media: dev.media,
    lsa: dev.lsa,
    poison: dev.poison,
    inject,
    commands,
    cel,
    device: dev,
    execute(opcode, input, payloadSize) {
      return dispatch(byOpcode, { dev, payloadSize, cel }, opcode & 0xffff, input);
    },
    backgroundStatus: () => dev.background.status(),
    eventStatus: () => dev.events.status(),
    mediaStatus: () => MEDIA_STATUS[dev.effectiveMediaState()],
    mailboxReady: () => dev.mailboxReady,
    resetNeeded: () => dev.resetNeeded,
    fatal: () => dev.fatal,
    fwHalt: () => dev.fwHalt,
    mediaAccess(dpa, length) {
      const start = dpa as number;
      if (start < 0 || start + length > dev.totalBytes) return 'out-of-range';
      if (dev.effectiveMediaState() !== 'ready') return 'media-disabled';
      // CXL 2.0 8.2.9.5.6: while locked, persistent capacity is inaccessible.
      if (dev.security.locked && start + length > dev.volatileBytes) return 'locked';
      if (dev.poison.overlaps(start, length)) return 'poisoned';
      return 'ok';
    },
    reset: (kind) => dev.reset(kind),
    setNotifier(n) {
      notifier = n;
    },
    state(): Type3Summary {
      const logs = dev.events.logs;
      return {
        mediaState: dev.effectiveMediaState(),
        volatileBytes: dev.volatileBytes,
        persistentBytes: dev.persistentBytes,
        pendingVolatileBytes: dev.nextPartitionVolatile === null ? null : config.volatileBytes + dev.nextPartitionVolatile,
        lsaBytes: dev.lsa.length,
        mediaAllocatedBytes: dev.media.allocatedBytes,
        eventCounts: Array.from({ length: EVENT_LOG_COUNT }, (_, i) => logs[i].records.length),
        eventOverflow: Array.from({ length: EVENT_LOG_COUNT }, (_, i) => logs[i].overflow !== null),
        poisonRecords: dev.poison.size,
        poisonOverflow: dev.poison.overflowed,
        background: dev.background.status(),
        security: dev.security.bits(),
        shutdownDirty: dev.shutdownDirty,
        timestampNs: dev.timestamp(),
        fwActiveSlot: dev.firmware.active,
        fwSlots: [...dev.firmware.slots],
      };
    },
  };
}

export { OP } from './opcodes.js';
export { RC, returnCodeName } from './return-codes.js';
export { EFFECT } from './effects.js';
export type { CommandDef, InputRule } from './command-table.js';
export type { MediaState, ResetKind } from './state/device-state.js';
export type { EventLogName } from './state/event-logs.js';
export { EVENT_LOG } from './state/event-logs.js';
export type { Type3Injection, EventFields, EventRecordKind } from './inject.js';
