#!/usr/bin/env node
// `npm start`: the desktop shell when Electron's binary is installed (building out/ first if needed);
// otherwise the same UI served to a browser by the WebSocket server on 127.0.0.1.
//   --browser        serve to a browser even when Electron is available
//   --port N         port for the browser server (default: CXL_BENCH_PORT or 4274, as `cxl-bench serve`; 0: any free port)
//   --db FILE        SQLite file (default: CXL_BENCH_DB or the user data directory Electron would use)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

/** Path of the Electron binary, or null when the npm package is there without its download. */
function electronBinary() {
  try {
    const p = require('electron');
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

function newest(dir) {
  if (!existsSync(dir)) return 0;
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** True when `output` is missing or older than any of `sources` (directories or files). */
function stale(output, sources) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return sources.some((s) => {
    const p = join(root, s);
    return existsSync(p) && (statSync(p).isDirectory() ? newest(p) : statSync(p).mtimeMs) > built;
  });
}

function run(cmd, cmdArgs) {
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) {
    console.error(`${cmd} ${cmdArgs.join(' ')} failed`);
    process.exit(r.status ?? 1);
  }
}

async function startElectron(binary) {
  const outputs = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
  if (outputs.some((o) => stale(join(root, o), ['renderer/src', 'renderer/index.html', 'main', 'common', 'emulator', 'host', 'trace']))) {
    console.log('Building the desktop shell (electron-vite build)…');
    run('npx', ['electron-vite', 'build']);
  }
  const child = spawn(binary, [root], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
}

async function startBrowser() {
  const staticDir = join(root, 'out', 'renderer');
  if (stale(join(staticDir, 'index.html'), ['renderer/src', 'renderer/index.html'])) {
    console.log('Building the renderer (vite build)…');
    run('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']);
  }
  const { register } = await import('tsx/esm/api');
  register();
  const { createServices } = await import(pathToFileURL(join(root, 'main/services/services.ts')).href);
  const { startServer } = await import(pathToFileURL(join(root, 'main/server/ws-server.ts')).href);

  const { defaultDbPath } = await import(pathToFileURL(join(root, 'main/services/bench-defaults.ts')).href);
  const dbPath = resolve(opt('--db') ?? defaultDbPath());
  mkdirSync(dirname(dbPath), { recursive: true });
  const services = await createServices({ dbPath, shell: 'browser' });
  const { defaultPort } = await import(pathToFileURL(join(root, 'main/services/bench-defaults.ts')).href);
  const port = opt('--port') !== undefined ? Number(opt('--port')) : defaultPort();
  const server = await startServer({ services, host: '127.0.0.1', port, staticDir, log: (line) => console.error(`cxl-bench: ${line}`) });
  console.log(`CXL Bench is serving on 127.0.0.1 (database ${dbPath}).`);
  console.log(`Open ${server.url}`);
  console.log('(the link works once: it signs in one browser)');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await services.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

const binary = args.includes('--browser') ? null : electronBinary();
if (binary) {
  await startElectron(binary);
} else {
  if (!args.includes('--browser')) {
    console.log(
      "Electron's desktop shell is not available on this machine (binary not installed); serving the same UI in your browser instead.",
    );
  }
  await startBrowser();
}
