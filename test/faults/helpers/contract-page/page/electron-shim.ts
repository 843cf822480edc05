/**
 * The part of Electron's renderer API the preload uses, in an ordinary Chromium page: `invoke` goes
 * to the test process through a function Playwright exposes (which hands it to main's real IPC
 * handler), and the test delivers main's `webContents.send` broadcasts to `on` listeners. Arguments
 * travel as text (ipc-values.ts) that keeps what Electron's structured clone keeps and JSON does not:
 * NaN, ±Infinity, BigInt, Date, Map, and an own `__proto__` key as an own key.
 */
import { encodeIpcValues } from '../ipc-values';

type Listener = (event: unknown, ...args: unknown[]) => void;

declare global {
  interface Window {
    __ipcInvoke(channel: string, encodedArgs: string): Promise<unknown>;
    __ipcDeliver(channel: string, ...args: unknown[]): void;
  }
}

const listeners = new Map<string, Set<Listener>>();
window.__ipcDeliver = (channel, ...args) => {
  for (const l of listeners.get(channel) ?? []) l({}, ...args);
};

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown): void {
    Object.defineProperty(window, key, { value: Object.freeze(api), enumerable: true });
  },
};

export const ipcRenderer = {
  invoke: (channel: string, ...args: unknown[]) => window.__ipcInvoke(channel, encodeIpcValues(args)),
  on(channel: string, listener: Listener): void {
    const set = listeners.get(channel) ?? new Set<Listener>();
    set.add(listener);
    listeners.set(channel, set);
  },
  removeListener(channel: string, listener: Listener): void {
    listeners.get(channel)?.delete(listener);
  },
};

export type IpcRendererEvent = unknown;
