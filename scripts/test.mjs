#!/usr/bin/env node
// `npm test`: typecheck, build the renderer bundle the end-to-end tests load, then run every vitest suite
// (unit, integration, end-to-end). Extra arguments are passed to vitest (e.g. `npm test -- test/emulator`).
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const run = (cmd, cmdArgs) => {
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

if (args.length === 0) {
  run('npm', ['run', '--silent', 'typecheck']);
}
run('npx', ['vitest', 'run', ...args]);
