#!/usr/bin/env node
// `npm test`: typecheck, build the renderer bundle the end-to-end tests load, then run every vitest suite
// (unit, integration, end-to-end). Extra arguments are passed to vitest (e.g. `npm test -- test/emulator`);
// with arguments the typecheck is skipped and the renderer is built only when the selection includes e2e.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const args = process.argv.slice(2);
const run = (cmd, cmdArgs) => {
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

const paths = args.filter((a) => !a.startsWith('-'));
const needsRenderer = paths.length === 0 || paths.some((p) => /(^|\/)test\/?$|e2e/.test(p));

if (args.length === 0) {
  run('npm', ['run', '--silent', 'typecheck']);
}
if (needsRenderer) {
  run('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']);
}
// The sysfs BAR tests need the addon (hil/sysfs/native): build it when missing (under CI=true they fail without it).
if (paths.length === 0 || paths.some((p) => /(^|\/)test\/?$|hil/.test(p))) {
  const { ADDON_PATH, buildSysfsNative } = await import('../hil/sysfs/native/build.mjs');
  if (!existsSync(ADDON_PATH)) {
    const r = buildSysfsNative();
    console.log(r.ok ? 'cxl-bench: built the sysfs BAR addon.' : `cxl-bench: the sysfs BAR addon did not build (${r.why}).`);
  }
}
run('npx', ['vitest', 'run', ...args]);
