import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow } from 'electron';

const rendererIndex = join(import.meta.dirname, '../renderer/index.html');

/** The URL the app's own pages are served from; IPC and navigation are only allowed from it. */
export function appUrl(): string {
  return process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(rendererIndex).href;
}

/**
 * True for the app's own page: the same file (any query or hash), or in development the dev
 * server's origin. URLs are parsed, not prefix-matched, so `http://localhost:5173.evil.com` fails.
 */
export function isAppUrl(url: string): boolean {
  const base = parseUrl(appUrl());
  const target = parseUrl(url);
  if (!base || !target) return false;
  if (base.protocol === 'file:') {
    return target.protocol === 'file:' && target.host === base.host && target.pathname === base.pathname;
  }
  return target.origin === base.origin;
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

export function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 1100,
    minHeight: 700,
    show: false,
    title: 'FixRes Lab',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(appUrl());
  return win;
}

/** macOS: a click on the dock icon re-opens the main window when none is open, and only then. */
export function reopenOnActivate(): void {
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
  });
}
