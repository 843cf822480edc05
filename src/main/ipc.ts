import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { dispatch, type Handlers, type LabEvents } from '../lab';
import type { Envelope } from '../shared/envelope';

export const INVOKE_CHANNEL = 'lab:invoke';
export const EVENT_CHANNEL = 'lab:event';

/** The reply to a request from any page but the app's own. */
const FORBIDDEN: Envelope<never> = {
  ok: false,
  error: { name: 'Forbidden', code: 'Invalid', message: 'Requests are only accepted from the app itself.' },
};

/**
 * One IPC entry for the whole contract: the sender frame is checked once, then the shared
 * dispatcher validates the request with its schema. Lab events go to every window.
 */
export function setupIpc(handlers: Handlers, events: LabEvents, isAppUrl: (url: string) => boolean): () => void {
  ipcMain.handle(INVOKE_CHANNEL, (event: IpcMainInvokeEvent, channel: unknown, request: unknown) => {
    const url = event.senderFrame?.url ?? '';
    if (!isAppUrl(url)) return FORBIDDEN;
    return dispatch(handlers, channel, request);
  });
  const unsubscribe = events.subscribe((name, payload) => {
    for (const win of BrowserWindow.getAllWindows()) win.webContents.send(EVENT_CHANNEL, name, payload);
  });
  return () => {
    ipcMain.removeHandler(INVOKE_CHANNEL);
    unsubscribe();
  };
}
