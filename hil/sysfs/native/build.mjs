#!/usr/bin/env node
// Builds the sysfs BAR addon (binding.gyp beside this file) with node-gyp, offline where possible.
// Used by scripts/postinstall.mjs (a failed build must not fail the install) and by `npm run build:native`
// (run directly: prints node-gyp's output and exits non-zero on failure).
//
// Which node-gyp: the one npm hands to lifecycle scripts (npm_config_node_gyp), else one in node_modules, else
// the copy bundled with the npm that sits beside this Node. Which headers: npm's `nodedir` setting when npm runs
// us (npm_config_nodedir), else this Node's own installed headers (<prefix>/include/node) when present, so
// node-gyp does not try to download them. The addon uses only node_api.h, so Node's headers serve Electron too.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const ADDON_PATH = join(here, 'build', 'Release', 'sysfs_mmap.node');

function findNodeGyp() {
  const env = process.env.npm_config_node_gyp;
  if (env && existsSync(env)) return env;
  try {
    return createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
  } catch {
    // not a dependency of the project: look beside Node
  }
  const prefix = dirname(dirname(process.execPath));
  for (const p of [
    join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'), // Windows layout
  ])
    if (existsSync(p)) return p;
  return null;
}

function nodedirArgs() {
  if (process.env.npm_config_nodedir) return []; // node-gyp reads it from the environment itself
  const prefix = dirname(dirname(process.execPath));
  return existsSync(join(prefix, 'include', 'node', 'common.gypi')) ? [`--nodedir=${prefix}`] : [];
}

/** Build the addon; { ok: true } or { ok: false, why } with one line saying why. */
export function buildSysfsNative({ verbose = false } = {}) {
  if (process.platform !== 'linux') return { ok: false, why: `sysfs exists only on Linux (this is ${process.platform})` };
  const gyp = findNodeGyp();
  if (!gyp) return { ok: false, why: 'node-gyp not found (neither npm_config_node_gyp, node_modules, nor npm beside node)' };
  const r = spawnSync(process.execPath, [gyp, 'rebuild', `--directory=${here}`, ...nodedirArgs()], {
    stdio: verbose ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout: 180_000,
  });
  if (r.status === 0 && existsSync(ADDON_PATH)) return { ok: true };
  if (r.error) return { ok: false, why: String(r.error.message ?? r.error) };
  const lines = `${r.stderr ?? ''}\n${r.stdout ?? ''}`.split('\n').map((l) => l.trim());
  const why =
    lines.find((l) => /error:|not found|No such file|command not found/i.test(l) && !/^gyp ERR! (cwd|node -v|node-gyp -v|command|System)/.test(l)) ??
    lines.find((l) => l.startsWith('gyp ERR!')) ??
    `node-gyp exited with ${r.status}${verbose ? '' : ' (run `npm run build:native` to see its output)'}`;
  return { ok: false, why };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = buildSysfsNative({ verbose: true });
  if (r.ok) console.log(`cxl-bench: sysfs BAR addon built: ${ADDON_PATH}`);
  else console.error(`cxl-bench: sysfs BAR addon build failed: ${r.why}`);
  process.exit(r.ok ? 0 : 1);
}
