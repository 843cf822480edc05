import type { LabClient } from '../../../shared/client';
import type { Dataset } from '../../../shared/api/datasets';

/** The Datasets view's state: the list, the selection, scan progress, and errors where they happened. */
export class DatasetsState {
  #client: LabClient;
  #items = $state.raw<Dataset[]>([]);
  #selectedId = $state<number | null>(null);
  #filesSeen = $state<Record<number, number>>({});
  #loaded = $state(false);
  #busy = $state(false);
  #error = $state<string | null>(null);

  constructor(client: LabClient) {
    this.#client = client;
  }

  get items(): Dataset[] {
    return this.#items;
  }
  get selected(): Dataset | null {
    return this.#items.find((d) => d.id === this.#selectedId) ?? null;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  get busy(): boolean {
    return this.#busy;
  }
  get error(): string | null {
    return this.#error;
  }
  filesSeen(id: number): number {
    return this.#filesSeen[id] ?? 0;
  }

  /** Subscribes to dataset events; returns the unsubscribe function. */
  listen(): () => void {
    const offUpdated = this.#client.on('dataset.updated', (d) => this.#upsert(d));
    const offProgress = this.#client.on('dataset.scanProgress', (p) => {
      this.#filesSeen = { ...this.#filesSeen, [p.datasetId]: p.filesSeen };
    });
    return () => {
      offUpdated();
      offProgress();
    };
  }

  async load(): Promise<void> {
    await this.#run(async () => {
      this.#items = await this.#client.invoke('datasets.list', {});
      if (this.#selectedId === null && this.#items.length) this.#selectedId = this.#items[this.#items.length - 1]!.id;
      this.#loaded = true;
    });
  }

  select(id: number): void {
    this.#selectedId = id;
  }

  async open(root: string): Promise<void> {
    await this.#run(async () => {
      const dataset = await this.#client.invoke('datasets.open', { root });
      this.#upsert(dataset);
      this.#selectedId = dataset.id;
    });
  }

  /** Native folder picker (desktop only), then open. */
  async pickAndOpen(): Promise<void> {
    const { path } = await this.#client.invoke('dialog.pickFolder', {});
    if (path) await this.open(path);
  }

  async rescan(id: number): Promise<void> {
    await this.#run(async () => this.#upsert(await this.#client.invoke('datasets.rescan', { id })));
  }

  async remove(id: number): Promise<void> {
    await this.#run(async () => {
      await this.#client.invoke('datasets.remove', { id });
      this.#items = this.#items.filter((d) => d.id !== id);
      if (this.#selectedId === id) this.#selectedId = this.#items[0]?.id ?? null;
    });
  }

  dismissError(): void {
    this.#error = null;
  }

  #upsert(dataset: Dataset): void {
    const i = this.#items.findIndex((d) => d.id === dataset.id);
    this.#items = i < 0 ? [...this.#items, dataset] : this.#items.map((d) => (d.id === dataset.id ? dataset : d));
  }

  async #run(task: () => Promise<void>): Promise<void> {
    this.#busy = true;
    this.#error = null;
    try {
      await task();
    } catch (err) {
      this.#error = (err as Error).message;
    } finally {
      this.#busy = false;
    }
  }
}
