/**
 * Runs in Chromium: the contract fuzz of security/contract-fuzz.test.ts, from a page, through the
 * renderer's own two clients — the web client (HTTP + WebSocket, as web mode's page uses it) and the
 * bridge client over the app's real preload (src/preload/index.ts; Electron's part stood in by
 * electron-shim.ts). Results come back as data for the test to check.
 */
import '../../../../../src/preload/index';
import { createBridgeClient } from '../../../../../src/renderer/src/lib/bridge-client';
import { createWebClient, takeToken } from '../../../../../src/renderer/src/lib/web-client';
import type { LabClient, PreloadBridge } from '../../../../../src/shared/client';
import { api, channels, type Channel, type EventName } from '../../../../../src/shared/contract';
import { malformedVariants, VALID_REQUESTS } from '../../malformed';

type Transport = 'web' | 'ipc';

const token = takeToken(location, sessionStorage, history);
const clients: Record<Transport, LabClient> = {
  web: createWebClient(location.origin, token),
  ipc: createBridgeClient((window as unknown as { fixres: PreloadBridge }).fixres),
};

/** What a request ended with: the error's name, or "accepted". */
async function outcome(client: LabClient, channel: string, request: unknown): Promise<string> {
  try {
    await client.invoke(channel as Channel, request as never);
    return 'accepted';
  } catch (err) {
    return (err as Error).name;
  }
}

/** Every malformed variant of every channel's valid request, plus (IPC) values only structured clone carries. */
function variantsOf(channel: Channel, transport: Transport): { label: string; value: unknown }[] {
  const valid = VALID_REQUESTS[channel];
  const variants = malformedVariants(valid).map((v) => ({ label: v.label, value: JSON.parse(v.json) as unknown }));
  if (transport === 'ipc') {
    for (const [key, value] of Object.entries(valid)) {
      if (typeof value !== 'number') continue;
      for (const bad of [NaN, Infinity, -Infinity, 2n ** 70n])
        variants.push({ label: `${key}: ${String(bad)}`, value: { ...valid, [key]: bad } });
    }
    if (!api[channel].request.safeParse({}).success) variants.push({ label: 'a Date', value: new Date(0) });
  }
  return variants;
}

const probe = {
  /** Sends every malformed request; returns the ones not refused with a ValidationError, and how many were sent. */
  async malformed(transport: Transport): Promise<{ sent: number; notRefused: string[] }> {
    const notRefused: string[] = [];
    let sent = 0;
    for (const channel of channels) {
      for (const { label, value } of variantsOf(channel, transport)) {
        const result = await outcome(clients[transport], channel, value);
        sent++;
        if (result !== 'ValidationError') notRefused.push(`${channel} with ${label}: ${result}`);
      }
    }
    return { sent, notRefused };
  },
  /** Channel names that are not in the contract, each with how it was answered. */
  async unknownChannels(transport: Transport): Promise<[string, string][]> {
    const names = ['system.exec', '__proto__', 'constructor', 'toString', 'runs.start.x', '..%2fapp.info'];
    const answers: [string, string][] = [];
    for (const name of names) answers.push([name, await outcome(clients[transport], name, {})]);
    return answers;
  },
  /** A valid request's value. */
  invoke: (transport: Transport, channel: Channel, request: unknown) => clients[transport].invoke(channel, request as never),
  /** Collects the payloads of `event` the page receives from now on. */
  listen(transport: Transport, event: EventName): unknown[] {
    const received: unknown[] = [];
    clients[transport].on(event, (payload) => received.push(payload));
    return received;
  },
  /** Whether anything polluted Object.prototype in the page. */
  polluted: () => (({}) as Record<string, unknown>).polluted !== undefined,
};

(window as unknown as { contractProbe: typeof probe }).contractProbe = probe;
