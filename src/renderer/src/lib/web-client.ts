import type { LabClient } from '../../../shared/client';
import type { EventName, EventOf, ResponseOf } from '../../../shared/contract';
import { LabError } from '../../../shared/errors';
import { unwrap } from './unwrap';

const TOKEN_KEY = 'fixres.token';
const RECONNECT_MS = 1000;

/** Reads the launch token from the URL (first load) or the session, and drops it from the address bar. */
export function takeToken(location: Location, storage: Storage, history: History): string {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return storage.getItem(TOKEN_KEY) ?? '';
}

/** The web-mode transport: POST /api/<channel> with the token header, events over one WebSocket. */
export function createWebClient(origin: string, token: string): LabClient {
  type AnyListener = (payload: unknown) => void;
  const listeners = new Map<string, Set<AnyListener>>();
  let socket: WebSocket | null = null;

  function connect(): void {
    const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/events?token=${encodeURIComponent(token)}`);
    ws.onmessage = (msg) => {
      const { event, payload } = JSON.parse(String(msg.data)) as { event: string; payload: unknown };
      for (const l of listeners.get(event) ?? []) l(payload);
    };
    ws.onclose = () => {
      socket = null;
      if (listeners.size) setTimeout(connect, RECONNECT_MS);
    };
    socket = ws;
  }

  return {
    async invoke(channel, request) {
      let res: Response;
      try {
        res = await fetch(`${origin}/api/${channel}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-fixres-token': token },
          body: JSON.stringify(request ?? {}),
        });
      } catch {
        throw new LabError({
          name: 'Offline',
          code: 'Environment',
          message: 'The FixRes Lab server is not reachable. Is `fixres serve` still running?',
        });
      }
      if (res.status === 401) {
        throw new LabError({
          name: 'Unauthorized',
          code: 'Invalid',
          message: 'Access token missing or wrong: open the URL the server printed.',
        });
      }
      return unwrap<ResponseOf<typeof channel>>(await res.json());
    },
    on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void) {
      const set = listeners.get(event) ?? new Set<AnyListener>();
      set.add(listener as AnyListener);
      listeners.set(event, set);
      if (!socket) connect();
      return () => {
        set.delete(listener as AnyListener);
        if (!set.size) listeners.delete(event);
      };
    },
  };
}
