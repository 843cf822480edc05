import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow } from 'electron';

const rendererIndex = join(import.meta.dirname, '../renderer/index.html');

/** The URL the app's own pages are served from; IPC and navigation are only allowed from it. */
export function appUrl(): string {
  return process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(rendererIndex).href;
}

export function isAppUrl(url: string): boolean {
  const base = appUrl();
  return (
    url === base || url.startsWith(`${base}#`) || url.startsWith(`${base}?`) || (base.startsWith('http') && url.startsWith(base))
  );
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
