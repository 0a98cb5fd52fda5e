// The registry of host sequences by id (DESIGN.md 4). The run worker, the CLI and the tests start them the same
// way: getSequence(id)?.run(ctx).

import type { Sequence } from './sequence.js';
import { conformanceSequence } from './sequences/conformance/index.js';
import { enumerateSequence } from './sequences/enumerate.js';
import { linuxProbeSequence } from './sequences/linux-probe/index.js';
import { linuxProbeAsyncSequence } from './sequences/linux-probe-async.js';
import { regionSequence } from './sequences/region/index.js';
import { regionTeardownSequence } from './sequences/region/teardown.js';
import { replaySequence } from './sequences/replay.js';

export const SEQUENCES: readonly Sequence[] = [enumerateSequence, linuxProbeSequence, regionSequence, regionTeardownSequence, conformanceSequence, replaySequence];
/** Listed apart (one line each) so other sequences' additions above merge cleanly. */
export const MORE_SEQUENCES: readonly Sequence[] = [linuxProbeAsyncSequence];

export function getSequence(id: string): Sequence | undefined {
  return SEQUENCES.find((s) => s.id === id) ?? MORE_SEQUENCES.find((s) => s.id === id);
}
