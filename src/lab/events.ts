import type { EventName, EventOf } from '../shared/contract';

type Listener = (event: EventName, payload: unknown) => void;

/** The lab's typed event bus; adapters subscribe once and forward every event to their clients. */
export class LabEvents {
  #listeners = new Set<Listener>();

  emit<E extends EventName>(event: E, payload: EventOf<E>): void {
    for (const l of this.#listeners) l(event, payload);
  }

  /** Listens to every event; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
