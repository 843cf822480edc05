import type { LabClient } from '../../src/shared/client';
import type { Channel, EventName, EventOf, RequestOf, ResponseOf } from '../../src/shared/contract';

type Handler<C extends Channel> = (request: RequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>>;

/** A LabClient for state-class tests: canned handlers per channel, recorded calls, events emitted by hand. */
export class FakeClient implements LabClient {
  readonly calls: { channel: Channel; request: unknown }[] = [];
  #handlers = new Map<Channel, (request: unknown) => unknown>();
  #listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  handle<C extends Channel>(channel: C, handler: Handler<C>): this {
    this.#handlers.set(channel, handler as (request: unknown) => unknown);
    return this;
  }

  async invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    this.calls.push({ channel, request });
    const handler = this.#handlers.get(channel);
    if (!handler) throw new Error(`FakeClient: no handler for ${channel}`);
    return (await handler(request)) as ResponseOf<C>;
  }

  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void {
    const set = this.#listeners.get(event) ?? new Set();
    set.add(listener as (payload: unknown) => void);
    this.#listeners.set(event, set);
    return () => set.delete(listener as (payload: unknown) => void);
  }

  emit<E extends EventName>(event: E, payload: EventOf<E>): void {
    for (const l of this.#listeners.get(event) ?? []) l(payload);
  }

  listenerCount(event: EventName): number {
    return this.#listeners.get(event)?.size ?? 0;
  }

  callsTo(channel: Channel): unknown[] {
    return this.calls.filter((c) => c.channel === channel).map((c) => c.request);
  }
}
