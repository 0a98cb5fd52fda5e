// The one BrowserWindow (DESIGN.md 6): isolated, sandboxed, no Node in the page, web security on, only the
// preload's narrow API; bounds remembered across launches.
import { BrowserWindow, screen } from 'electron';
import { join } from 'node:path';
import { keepOnScreen, loadBounds, saveBounds, type WindowBounds } from './window-bounds.js';
import { lockDownContents } from './window-lockdown.js';
import { isSamePage } from './trusted-sender.js';

export interface MainWindowOptions {
  /** The page to load: file:// URL of out/renderer/index.html, or the dev server's URL. */
  rendererUrl: string;
  /** Built preload script (CommonJS: sandboxed preloads cannot be ES modules). */
  preloadPath: string;
  /** userData/window-bounds.json */
  boundsFile: string;
}

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const displays = screen.getAllDisplays().map((d) => d.workArea);
  const bounds = keepOnScreen(loadBounds(opts.boundsFile), displays);
  const win = new BrowserWindow({
    ...bounds,
    minWidth: 800,
    minHeight: 500,
    show: false,
    title: 'CXL Bench',
    backgroundColor: '#0e1116',
    autoHideMenuBar: true,
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  if (bounds.maximized) win.maximize();

  const expected = new URL(opts.rendererUrl);
  lockDownContents(win.webContents, (url) => isSamePage(expected, url));
  win.once('ready-to-show', () => win.show());

  // Remember the normal (un-maximised) bounds; write once on close, not on every pixel of a drag.
  let last: WindowBounds = { ...win.getNormalBounds(), maximized: win.isMaximized() };
  const track = () => {
    if (!win.isMinimized()) last = { ...win.getNormalBounds(), maximized: win.isMaximized() };
  };
  win.on('resize', track);
  win.on('move', track);
  win.on('maximize', track);
  win.on('unmaximize', track);
  win.on('close', () => {
    track();
    saveBounds(opts.boundsFile, last);
  });

  void win.loadURL(opts.rendererUrl);
  return win;
}

export const boundsFileIn = (userData: string): string => join(userData, 'window-bounds.json');
