#!/usr/bin/env node
// Launcher: registers tsx so the TypeScript sources run as they are, then hands over to cli/main.ts.
import { register } from 'tsx/esm/api';

register();
// `cxl-bench trace 1 --format csv | head`: a closed pipe ends the command quietly.
process.stdout.on('error', (e) => process.exit(e.code === 'EPIPE' ? 0 : 1));
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
