import { beforeEach, describe, expect, it, vi } from 'vitest';
import { electronMock, electronModule, resetElectronMock } from '../helpers/electron-mock';

vi.mock('electron', async () => (await import('../helpers/electron-mock')).electronModule);
const { createMainWindow, reopenOnActivate } = await import('../../src/main/windows');

describe('main window on macOS dock clicks', () => {
  beforeEach(() => resetElectronMock());

  it('re-opens the window when none is open, and adds none while one is', () => {
    reopenOnActivate();
    electronModule.app.emit('activate');
    expect(electronMock.windows()).toBe(1);
    electronModule.app.emit('activate');
    electronModule.app.emit('activate');
    expect(electronMock.windows()).toBe(1);
  });

  it('opens the app page sandboxed with context isolation and no Node', () => {
    const win = createMainWindow() as unknown as { options: { webPreferences: Record<string, unknown> }; loaded: string[] };
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(win.loaded).toHaveLength(1);
  });
});
