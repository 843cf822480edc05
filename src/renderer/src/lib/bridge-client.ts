import type { LabClient, PreloadBridge } from '../../../shared/client';
import type { EventOf, EventName, ResponseOf } from '../../../shared/contract';
import { unwrap } from './unwrap';

/** The desktop transport: the preload bridge over Electron IPC. */
export function createBridgeClient(bridge: PreloadBridge): LabClient {
  return {
    invoke: async (channel, request) => unwrap<ResponseOf<typeof channel>>(await bridge.invoke(channel, request)),
    on: <E extends EventName>(event: E, listener: (payload: EventOf<E>) => void) =>
      bridge.on(event, (payload) => listener(payload as EventOf<E>)),
  };
}
