import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../common/clock.js';
import { createType3 } from '../../emulator/type3/index.js';
import { defaultType3Config } from '../../emulator/type3/config.js';
import { RunRecorder } from '../../main/runs/run-recorder.js';
import { layoutDecoder } from '../../main/store/row-decoder.js';
import { openStore, type Store } from '../../main/store/store.js';
import { RunTraceWriter } from '../../main/store/trace-writer.js';

let dir = '';
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-live-layout-'));
  store = openStore(join(dir, 'bench.sqlite'), { decoderFor: layoutDecoder });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('reading a run while it records', () => {
  it('decodes register names once the layout is stored, even if the trace was paged before', () => {
    const s = store.sessions.create('s');
    const run = store.runs.create({ sessionId: s.id, sequence: 'seq', topology: 'single' });
    const rec = new RunRecorder(new VirtualClock(), new RunTraceWriter(store.db, run.id), 16);
    const ep = rec.sink.nodeId('hb0.rp0.ep0');
    for (let i = 0; i < 20; i++) rec.sink.access(ep, 0, 0, 0, 4, 0, 0x70031e98, 0, 0); // cfg read of the IDs
    rec.flush();
    const count = store.runs.get(run.id)!.eventCount;

    // The UI pages a live run before the worker stored its layout: nothing to decode with yet.
    expect(store.traces.page(run.id, count, 0, 5).rows[0].register).toBe('');
    expect(store.traces.page(run.id, count, 0, 5, { text: 'Vendor' }).total).toBe(0);

    const dev = createType3(defaultType3Config(), new VirtualClock());
    store.runs.setLayout(run.id, [{ node: 'hb0.rp0.ep0', kind: 'type3', blocks: dev.layout() }]);

    // Same event count, layout now known: the names appear, for plain and filtered pages alike.
    expect(store.traces.page(run.id, count, 0, 5).rows[0].register).toContain('Vendor ID');
    expect(store.traces.page(run.id, count, 0, 5, { text: 'Vendor' }).total).toBe(count);
  });
});
