import { afterAll, beforeAll } from 'vitest';
import { createHandlers } from '../../../src/lab/handlers/index';
import { INVOKE_CHANNEL, setupIpc } from '../../../src/main/ipc';
import { appUrl, isAppUrl } from '../../../src/main/windows';
import type { Envelope } from '../../../src/shared/envelope';
import { electronMock, resetElectronMock } from '../../helpers/electron-mock';
import { startWebLab, type WebLab } from './web-lab';

export interface BothAdapters {
  web: WebLab;
  /** Sends a request through the Electron IPC adapter as the app's own page would. */
  ipc(channel: string, request: unknown): Promise<Envelope<unknown>>;
  close(): Promise<void>;
}

/** One lab behind both adapters: web mode (HTTP) and Electron IPC. The test file must mock `electron`. */
export async function startBothAdapters(): Promise<BothAdapters> {
  const web = await startWebLab();
  const teardownIpc = setupIpc(createHandlers(web.lab), web.lab.events, isAppUrl);
  return {
    web,
    ipc: async (channel, request) => (await electronMock.invoke(INVOKE_CHANNEL, appUrl(), channel, request)) as Envelope<unknown>,
    async close() {
      teardownIpc();
      resetElectronMock();
      await web.close();
    },
  };
}

/** Starts both adapters before the file's tests and closes them after; fields are set once `beforeAll` ran. */
export function useBothAdapters(): BothAdapters {
  const both = {} as BothAdapters;
  beforeAll(async () => {
    Object.assign(both, await startBothAdapters());
  });
  afterAll(() => both.close());
  return both;
}
