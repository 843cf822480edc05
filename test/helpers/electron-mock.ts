import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

/**
 * The one mock of the `electron` module (the binary is absent in tests and CI). Use it with
 * `vi.mock('electron', async () => (await import('<path>/helpers/electron-mock')).electronModule)`
 * and call `resetElectronMock()` between tests.
 */

type OpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' };
type InvokeHandler = (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown;

/** A WebContents stand-in: keeps the listeners the app registers so a test can fire them. */
export class FakeWebContents extends EventEmitter {
  openHandler: OpenHandler | null = null;
  readonly sent: unknown[][] = [];

  setWindowOpenHandler(handler: OpenHandler): void {
    this.openHandler = handler;
  }

  send(...args: unknown[]): void {
    this.sent.push(args);
  }

  /** Fires `will-navigate`; true when the app let the navigation happen. */
  navigate(url: string): boolean {
    return this.#allowed('will-navigate', url);
  }

  /** Fires `will-attach-webview`; true when the app let the webview attach. */
  attachWebview(): boolean {
    return this.#allowed('will-attach-webview', {}, { src: 'https://example.com' });
  }

  /** Calls the window-open handler as `window.open(url)` in the page would. */
  open(url: string): 'allow' | 'deny' {
    if (!this.openHandler) throw new Error('No window-open handler was set');
    return this.openHandler({ url }).action;
  }

  #allowed(event: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true) }, ...args);
    return !prevented;
  }
}

const app = Object.assign(new EventEmitter(), {
  getPath: vi.fn(() => '/nonexistent/userData'),
  getVersion: vi.fn(() => '0.0.0-test'),
  whenReady: vi.fn(() => new Promise<void>(() => undefined)),
  requestSingleInstanceLock: vi.fn(() => true),
  quit: vi.fn(),
  exit: vi.fn(),
});

const permissionHandlers: ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void)[] = [];
const invokeHandlers = new Map<string, InvokeHandler>();
const windows: { webContents: FakeWebContents }[] = [];

/** A BrowserWindow stand-in: records its options and joins the window list, as a real one would. */
class FakeBrowserWindow {
  static getAllWindows = () => windows;
  static getFocusedWindow = () => null;
  readonly webContents = new FakeWebContents();
  readonly loaded: string[] = [];
  constructor(readonly options: unknown) {
    windows.push(this);
  }
  once(): void {}
  show(): void {}
  async loadURL(url: string): Promise<void> {
    this.loaded.push(url);
  }
}

export const electronModule = {
  app,
  session: {
    defaultSession: { setPermissionRequestHandler: (h: (typeof permissionHandlers)[number]) => permissionHandlers.push(h) },
  },
  shell: { openExternal: vi.fn(async (_url: string) => undefined) },
  ipcMain: {
    handle: (channel: string, handler: InvokeHandler) => {
      if (invokeHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      invokeHandlers.set(channel, handler);
    },
    removeHandler: (channel: string) => invokeHandlers.delete(channel),
  },
  BrowserWindow: FakeBrowserWindow,
  dialog: { showOpenDialog: vi.fn(async () => ({ canceled: true, filePaths: [] })) },
  Menu: { buildFromTemplate: vi.fn((t: unknown) => t), setApplicationMenu: vi.fn() },
  utilityProcess: { fork: vi.fn() },
};

/** What the mocked module recorded, and ways to play the part of Chromium. */
export const electronMock = {
  /** Emits `web-contents-created` for a new page and returns it. */
  createWebContents(): FakeWebContents {
    const contents = new FakeWebContents();
    app.emit('web-contents-created', {}, contents);
    return contents;
  },
  /** Adds a window that receives `webContents.send` broadcasts. */
  addWindow(): FakeWebContents {
    const webContents = new FakeWebContents();
    windows.push({ webContents });
    return webContents;
  },
  /** Asks the app's permission handler, as Chromium does when a page requests e.g. the camera. */
  requestPermission(permission: string): boolean {
    let granted = true;
    for (const h of permissionHandlers) h({}, permission, (g) => (granted = granted && g));
    return granted && permissionHandlers.length > 0;
  },
  /** The windows open now. */
  windows: () => windows.length,
  /** Calls a handler registered with `ipcMain.handle`, as a renderer frame at `frameUrl` would. */
  invoke(channel: string, frameUrl: string | null, ...args: unknown[]): Promise<unknown> {
    const handler = invokeHandlers.get(channel);
    if (!handler) throw new Error(`No ipcMain handler for ${channel}`);
    return Promise.resolve(handler({ senderFrame: frameUrl === null ? null : { url: frameUrl } }, ...args));
  },
  openExternal: electronModule.shell.openExternal,
};

/** Forgets every listener, handler, window and call. */
export function resetElectronMock(): void {
  app.removeAllListeners();
  permissionHandlers.length = 0;
  invokeHandlers.clear();
  windows.length = 0;
  vi.clearAllMocks();
}
