import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { PreloadBridge } from '../shared/client';

// Exactly the contract, nothing else: no raw ipcRenderer, no Node, no environment. Channel names
// and payloads are checked once, in main (the sender's URL, the channel, the zod schema), so the
// bridge imports only the contract's types and stays a few hundred bytes.
const bridge: PreloadBridge = {
  invoke: (channel, request) => ipcRenderer.invoke('lab:invoke', channel, request),
  on(event, listener) {
    const forward = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on('lab:event', forward);
    return () => ipcRenderer.removeListener('lab:event', forward);
  },
};

contextBridge.exposeInMainWorld('fixres', bridge);
