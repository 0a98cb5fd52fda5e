#!/usr/bin/env node
// `npm test`: typecheck, build the renderer bundle the end-to-end tests load, then run every vitest suite
// (unit, integration, end-to-end). Extra arguments are passed to vitest (e.g. `npm test -- test/emulator`);
// with arguments the typecheck is skipped and the renderer is built only when the selection includes e2e.
import { spawnSync } from 'node:child_process';

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
run('npx', ['vitest', 'run', ...args]);
