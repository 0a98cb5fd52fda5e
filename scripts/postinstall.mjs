#!/usr/bin/env node
// After `npm install`: builds the sysfs BAR addon (hil/sysfs/native) and fetches Electron's binary, without
// letting a failed build or download fail the install.
// The addon needs a C compiler, make and Python (node-gyp); without them sysfs BAR access is unavailable (config
// space through sysfs still works) and one line says why. `npm run build:native` retries with full output.
// Electron's own postinstall is denied in package.json "allowScripts" because it exits 1 when the binary
// cannot be downloaded (a machine without access to Electron's release host); `npm start` then serves the
// same UI to a browser instead. Set ELECTRON_SKIP_BINARY_DOWNLOAD=1 to skip the attempt.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const native = await import('../hil/sysfs/native/build.mjs')
  .then((m) => m.buildSysfsNative())
  .catch((e) => ({ ok: false, why: e instanceof Error ? e.message : String(e) }));
if (native.ok) console.log('cxl-bench: sysfs BAR addon built (hil/sysfs/native).');
else console.log(`cxl-bench: sysfs BAR access is unavailable: the addon did not build (${native.why}); config space still works, see hil/sysfs/README.md.`);

const require = createRequire(import.meta.url);
let installer;
try {
  installer = join(dirname(require.resolve('electron/package.json')), 'install.js');
} catch {
  process.exit(0); // production install without devDependencies: nothing to fetch
}

if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log('cxl-bench: ELECTRON_SKIP_BINARY_DOWNLOAD is set; the desktop shell is skipped (npm start serves the UI to a browser).');
  process.exit(0);
}
if (!existsSync(installer)) process.exit(0);

const r = spawnSync(process.execPath, [installer], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000, encoding: 'utf8' });
if (r.status === 0) {
  console.log('cxl-bench: Electron binary ready.');
} else {
  const why = (r.stderr || r.stdout || String(r.error ?? '')).split('\n').find((l) => l.trim()) ?? 'unknown error';
  console.log(`cxl-bench: the Electron binary could not be downloaded (${why.trim()}).`);
  console.log('cxl-bench: everything else is installed; `npm start` will serve the UI to your browser instead.');
}
process.exit(0);
