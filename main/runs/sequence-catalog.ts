// The sequences a run can execute: the built-in registry (host/sequences.ts SEQUENCES) plus any extra modules
// named by file URL (tests, plug-ins). An extra module exports SEQUENCES as an array, a Map or a record of
// Sequence, or a single `sequence`. Loaded the same way by the main thread (for app.info and validation of
// runs.start) and by each run worker (to execute).

import type { Sequence } from '../../host/sequence.js';
import { MORE_SEQUENCES, SEQUENCES } from '../../host/sequences.js';
import type { SequenceInfo } from '../api/contract.js';

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

  /** Built-ins then `extraModules`; a later module's id replaces an earlier one. */
  static async load(extraModules: readonly string[] = []): Promise<SequenceCatalog> {
    const all: Sequence[] = [...SEQUENCES, ...MORE_SEQUENCES];
    for (const m of extraModules) all.push(...sequencesOf(await import(/* @vite-ignore */ m)));
    return SequenceCatalog.of(all);
  }

  get(id: string): Sequence | undefined {
    return this.byId.get(id);
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  /** The sequences a run can be started with (not those that need a source run, such as replay). */
  list(): SequenceInfo[] {
    return [...this.byId.values()].filter((s) => !s.needsSource).map((s) => ({ id: s.id, title: s.title, description: s.description }));
  }

  needsSource(id: string): boolean {
    return this.byId.get(id)?.needsSource === true;
  }

  defaultId(): string | undefined {
    return DEFAULT_ORDER.find((id) => this.byId.has(id)) ?? this.byId.keys().next().value;
  }
}
