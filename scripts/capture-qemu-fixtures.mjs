#!/usr/bin/env node
// Regenerate test/fixtures/qemu-linux/<name>/ by booting this machine's QEMU + Linux on each QEMU topology
// (main/qemu/qemu-topologies.ts). Usage: node scripts/capture-qemu-fixtures.mjs [single interleave2 switch4 hb2]
import { register } from 'tsx/esm/api';
register();
const { QEMU_TOPOLOGIES } = await import('../main/qemu/qemu-topologies.ts');
const { captureFixture } = await import('../main/qemu/capture.ts');
const names = process.argv.slice(2).length ? process.argv.slice(2) : ['single', 'interleave2', 'switch4', 'hb2'];
for (const short of names) {
  const raw = QEMU_TOPOLOGIES[`qemu-${short}`];
  if (!raw) {
    console.error(`no QEMU topology qemu-${short} (have: ${Object.keys(QEMU_TOPOLOGIES).join(', ')})`);
    process.exit(2);
  }
  const dir = new URL(`../test/fixtures/qemu-linux/${short}/`, import.meta.url).pathname;
  const r = await captureFixture(raw, dir, { log: (s) => console.error(s) });
  console.log(`${short}: ${(r.boot.wallMs / 1000).toFixed(1)} s, trace ${r.traceLines} lines, kept ${r.keptLines} -> ${dir}`);
}
