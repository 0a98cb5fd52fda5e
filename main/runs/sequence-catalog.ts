// The sequences a run can execute: the built-in registry (host/sequences.ts, SEQUENCES) plus any extra
// modules named by file URL (tests, plug-ins). Each module exports SEQUENCES as an array, a Map or a record of
// Sequence, or a single `sequence`. Loaded the same way by the main thread (for app.info and validation of
// runs.start) and by each run worker (to execute).

import type { Sequence } from '../../host/sequence.js';
import { enumerateSequence } from '../../host/sequences/enumerate.js';
import { linuxProbeSequence } from '../../host/sequences/linux-probe/index.js';
import type { SequenceInfo } from '../api/contract.js';

/** The built-in registry, relative to this file (kept in a variable so a missing module is a run-time miss). */
const BUILTIN = '../../host/sequences.js';

/** Used while the registry module is absent. */
const FALLBACK: readonly Sequence[] = [linuxProbeSequence, enumerateSequence];

/** Preferred default, in order, when the caller does not name a sequence. */
const DEFAULT_ORDER = ['linux-probe', 'enumerate'];

const isSequence = (x: unknown): x is Sequence =>
  typeof x === 'object' && x !== null && typeof (x as Sequence).id === 'string' && typeof (x as Sequence).run === 'function';

function sequencesOf(mod: Record<string, unknown>): Sequence[] {
  const reg = mod.SEQUENCES ?? mod.sequences;
  const found: unknown[] = [];
  if (Array.isArray(reg)) found.push(...reg);
  else if (reg instanceof Map) found.push(...reg.values());
  else if (reg && typeof reg === 'object') found.push(...Object.values(reg));
  if (mod.sequence) found.push(mod.sequence);
  return found.filter(isSequence);
}

export class SequenceCatalog {
  private constructor(private readonly byId: ReadonlyMap<string, Sequence>) {}

  static of(seqs: readonly Sequence[]): SequenceCatalog {
    return new SequenceCatalog(new Map(seqs.map((s) => [s.id, s])));
  }

  /** Built-ins (when present) then `extraModules`; a later module's id replaces an earlier one. */
  static async load(extraModules: readonly string[] = []): Promise<SequenceCatalog> {
    const all: Sequence[] = [];
    try {
      all.push(...sequencesOf(await import(/* @vite-ignore */ new URL(BUILTIN, import.meta.url).href.replace(/\.js$/, fromTs()))));
    } catch (e) {
      if (!isMissingModule(e)) throw e;
      all.push(...FALLBACK);
    }
    for (const m of extraModules) all.push(...sequencesOf(await import(/* @vite-ignore */ m)));
    return SequenceCatalog.of(all);
  }

  get(id: string): Sequence | undefined {
    return this.byId.get(id);
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  list(): SequenceInfo[] {
    return [...this.byId.values()].map((s) => ({ id: s.id, title: s.title, description: s.description }));
  }

  defaultId(): string | undefined {
    return DEFAULT_ORDER.find((id) => this.byId.has(id)) ?? this.byId.keys().next().value;
  }
}

const fromTs = (): string => (import.meta.url.endsWith('.ts') ? '.ts' : '.js');

const isMissingModule = (e: unknown): boolean => {
  const code = (e as { code?: string })?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module|Failed to load url|Does the file exist/i.test(String((e as Error)?.message));
};
