import type { z } from 'zod';
import { systemApi, systemEvents } from './api/system';
import { cropsApi } from './api/crops';
import { datasetsApi, datasetsEvents } from './api/datasets';
import { analysisApi } from './api/analysis';
import { runsApi, runsEvents } from './api/runs';
import { engineApi } from './api/engine';
import { fixresApi, fixresEvents } from './api/fixres';
import { modelsApi, modelsEvents } from './api/models';
import { outcomesApi, outcomesEvents } from './api/outcomes';

/**
 * The one contract between the renderer and the lab: every request channel with its schemas,
 * and every event. Main (IPC), the web server (HTTP + WebSocket), the preload bridge and the
 * renderer clients all derive from these two maps.
 */
export const api = {
  ...systemApi,
  ...datasetsApi,
  ...analysisApi,
  ...cropsApi,
  ...runsApi,
  ...engineApi,
  ...fixresApi,
  ...modelsApi,
  ...outcomesApi,
};

export const events = {
  ...systemEvents,
  ...datasetsEvents,
  ...runsEvents,
  ...fixresEvents,
  ...modelsEvents,
  ...outcomesEvents,
};

export type Api = typeof api;
export type Channel = keyof Api;
export type RequestOf<C extends Channel> = z.input<Api[C]['request']>;
export type ParsedRequestOf<C extends Channel> = z.output<Api[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<Api[C]['response']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventOf<E extends EventName> = z.output<Events[E]>;

export const channels = Object.keys(api) as Channel[];
export const eventNames = Object.keys(events) as EventName[];

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.hasOwn(api, value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(events, value);
}
