import { app, dialog } from 'electron';
import { createHandlers, createLab, guardProcess, unhandledErrorLog, type Lab } from '../lab';
import { pickFolder } from './dialogs';
import { spawnUtilityEngine } from './engine-process';
import { setupIpc } from './ipc';
import { setupMenu } from './menu';
import { setupSecurity } from './security';
import { createMainWindow, isAppUrl, reopenOnActivate } from './windows';

/** Electron main: wires the features together once the app is ready; behaviour lives in lab. */
let lab: Lab | null = null;

async function onReady(): Promise<void> {
  setupSecurity(isAppUrl);
  lab = createLab({
    dataDir: process.env.FIXRES_HOME?.trim() || app.getPath('userData'),
    spawnEngine: spawnUtilityEngine,
    transport: 'electron',
    version: app.getVersion(),
    // Electron has its own native ABI; the launcher builds better-sqlite3 for it and says where.
    sqliteBinding: process.env.FIXRES_SQLITE_BINDING || undefined,
  });
  const opened = lab;
  const handlers = {
    ...createHandlers(opened),
    'dialog.pickFolder': async ({ title }: { title?: string }) => ({ path: await pickFolder(title) }),
  };
  setupIpc(handlers, opened.events, isAppUrl);
  setupMenu({
    openDataset: () => {
      void pickFolder()
        .then((root) => (root ? opened.datasets.open(root) : null))
        .catch(() => undefined);
    },
  });
  createMainWindow();
  reopenOnActivate();
}

/** A lab that cannot open (a read-only data folder, a damaged or newer database) says why in a dialog (there is no window yet), then the app quits. */
function failedToStart(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  console.error(err);
  dialog.showErrorBox('FixRes Lab cannot start', message);
  app.exit(1);
}

if (!app.requestSingleInstanceLock()) app.quit();
else {
  // An error that escaped every handler is logged and listed in the status bar; the app keeps running.
  guardProcess((error) => {
    process.stderr.write(unhandledErrorLog(error));
    lab?.events.emit('app.error', { source: error.source, message: error.message });
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => lab?.close());
  app.whenReady().then(onReady).catch(failedToStart);
}
