// The window's security settings and lock-down (DESIGN.md 6), checked against a stand-in for Electron.
import { describe, expect, test, vi } from 'vitest';

const created: { opts: Record<string, unknown>; handlers: Map<string, (...a: unknown[]) => void>; openHandler?: () => unknown; url?: string }[] = [];

vi.mock('electron', () => {
  class BrowserWindow {
    handlers = new Map<string, (...a: unknown[]) => void>();
    webContents: Record<string, unknown>;
    constructor(opts: Record<string, unknown>) {
      const entry: (typeof created)[number] = { opts, handlers: this.handlers };
      created.push(entry);
      this.webContents = {
        on: (ev: string, h: (...a: unknown[]) => void) => this.handlers.set(`wc:${ev}`, h),
        setWindowOpenHandler: (h: () => unknown) => (entry.openHandler = h),
      };
      this.loadURL = async (url: string) => {
        entry.url = url;
      };
    }
    loadURL: (url: string) => Promise<void>;
    on(ev: string, h: (...a: unknown[]) => void) {
      this.handlers.set(ev, h);
    }
    once(ev: string, h: (...a: unknown[]) => void) {
      this.handlers.set(ev, h);
    }
    getNormalBounds() {
      return { x: 0, y: 0, width: 1400, height: 860 };
    }
    isMaximized() {
      return false;
    }
    isMinimized() {
      return false;
    }
    maximize() {}
  }
  return { BrowserWindow, screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] } };
});

describe('main window', () => {
  test('is isolated, sandboxed, without Node, and denies navigation and new windows', async () => {
    const { createMainWindow } = await import('../../main/electron/main-window.js');
    createMainWindow({
      rendererUrl: 'file:///app/out/renderer/index.html',
      preloadPath: '/app/out/preload/index.cjs',
      boundsFile: '/nonexistent/window-bounds.json',
    });
    const w = created[0]!;
    expect(w.opts['webPreferences']).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      preload: '/app/out/preload/index.cjs',
    });
    expect(w.url).toBe('file:///app/out/renderer/index.html');
    expect(w.openHandler?.()).toEqual({ action: 'deny' });

    const navigate = w.handlers.get('wc:will-navigate')!;
    const away = { preventDefault: vi.fn() };
    navigate(away, 'https://example.com/');
    expect(away.preventDefault).toHaveBeenCalled();
    const reload = { preventDefault: vi.fn() };
    navigate(reload, 'file:///app/out/renderer/index.html?token=x');
    expect(reload.preventDefault).not.toHaveBeenCalled();

    const webview = { preventDefault: vi.fn() };
    w.handlers.get('wc:will-attach-webview')!(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });
});
