import type { Dataset } from '../../../shared/api/datasets';
import type { LabClient } from '../../../shared/client';
import { errorText } from '../lib/errors';
import { upsertById } from '../lib/upsert';

/** The opened datasets as other views need them: pickers (ready ones only) and names by id. */
export class DatasetCatalog {
  #client: LabClient;
  #items = $state.raw<Dataset[]>([]);
  #loaded = $state(false);
  #error = $state<string | null>(null);

  constructor(client: LabClient) {
    this.#client = client;
  }

  get items(): Dataset[] {
    return this.#items;
  }
  /** Datasets that can be trained on or sampled from now. */
  get ready(): Dataset[] {
    return this.#items.filter((d) => d.status === 'ready' && d.classes.length > 0);
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  get error(): string | null {
    return this.#error;
  }

  nameOf(id: number | null): string {
    if (id === null) return '—';
    return this.#items.find((d) => d.id === id)?.name ?? `#${id} (removed)`;
  }

  /** Subscribes to dataset changes; returns the unsubscribe. */
  listen(): () => void {
    const offs = [
      this.#client.on('dataset.updated', (d) => (this.#items = upsertById(this.#items, d))),
      this.#client.on('dataset.removed', ({ id }) => (this.#items = this.#items.filter((d) => d.id !== id))),
    ];
    return () => offs.forEach((off) => off());
  }

  async load(): Promise<void> {
    try {
      this.#items = await this.#client.invoke('datasets.list', {});
      this.#error = null;
    } catch (err) {
      this.#error = errorText(err);
    } finally {
      this.#loaded = true;
    }
  }

  reset(): void {
    this.#items = [];
    this.#loaded = false;
    this.#error = null;
  }
}
