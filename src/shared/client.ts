import type { Channel, EventName, EventOf, RequestOf, ResponseOf } from './contract';

/**
 * What the renderer talks to. The Electron preload bridge and the web-mode client are two
 * implementations; the UI cannot tell them apart.
 */
export interface LabClient {
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
}

/** The raw bridge the preload exposes on `window.fixres` (envelopes, not exceptions, cross the bridge). */
export interface PreloadBridge {
  invoke(channel: string, request: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}
