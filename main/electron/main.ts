// Electron main process entry (out/main/index.js): create the services, bind the API table to IPC, open the
// window. Everything the window shows comes through the preload's `cxlBench` (DESIGN.md 6).
import { app, BrowserWindow, ipcMain, protocol, session } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServices, type Services } from '../services/services.js';
import { DB_FILE_NAME } from '../services/bench-defaults.js';
import { bindIpc } from './ipc-binding.js';
import { installCspHeader } from './csp.js';
import { denyAllPermissions } from './window-lockdown.js';
import { trustedSenderCheck } from './trusted-sender.js';
import { boundsFileIn, createMainWindow } from './main-window.js';
import { APP_ORIGIN, APP_SCHEME_PRIVILEGES, serveRenderer } from './app-protocol.js';

const here = fileURLToPath(new URL('.', import.meta.url)); // out/main/

/** The dev server (electron-vite dev) or the built page beside the bundle, served over app://. */
function rendererUrl(): string {
  const dev = process.env['ELECTRON_RENDERER_URL'];
  if (!app.isPackaged && dev) return dev;
  return `${APP_ORIGIN}/index.html`;
}

protocol.registerSchemesAsPrivileged(APP_SCHEME_PRIVILEGES);

async function start(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();

  serveRenderer(protocol, join(here, '../renderer'));
  installCspHeader(session.defaultSession); // the dev server's responses (http) get the same policy
  denyAllPermissions(session.defaultSession);

  const userData = app.getPath('userData');
  // $CXL_BENCH_DB, else userData's file: the same database the CLI and `npm start` open (bench-defaults.ts).
  const services: Services = await createServices({ dbPath: process.env.CXL_BENCH_DB || join(userData, DB_FILE_NAME), shell: 'electron' });
  const url = rendererUrl();
  bindIpc(ipcMain, services, trustedSenderCheck(url));

  const open = () => {
    // bindIpc pushes ServerEvents to every window that has called the API.
    return createMainWindow({
      rendererUrl: url,
      preloadPath: join(here, '../preload/index.cjs'),
      boundsFile: boundsFileIn(userData),
    });
  };
  let win = open();

  app.on('second-instance', () => {
    if (win.isDestroyed()) win = open();
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) win = open();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let closing = false;
  app.on('will-quit', (event) => {
    if (closing) return;
    closing = true;
    event.preventDefault();
    void services.close().finally(() => app.quit());
  });
}

start().catch((err: unknown) => {
  console.error('CXL Bench failed to start:', err);
  app.exit(1);
});
