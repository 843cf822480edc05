import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { PreloadBridge } from '../shared/client';
import { isChannel, isEventName } from '../shared/contract';

// Exactly the contract, nothing else: no raw ipcRenderer, no Node, no environment.
const bridge: PreloadBridge = {
  invoke(channel, request) {
    if (!isChannel(channel))
      return Promise.resolve({ ok: false, error: { name: 'UnknownChannel', message: `Unknown request channel: ${channel}` } });
    return ipcRenderer.invoke('lab:invoke', channel, request);
  },
  on(event, listener) {
    if (!isEventName(event)) throw new Error(`Unknown event: ${event}`);
    const forward = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on('lab:event', forward);
    return () => ipcRenderer.removeListener('lab:event', forward);
  },
};

contextBridge.exposeInMainWorld('fixres', bridge);
