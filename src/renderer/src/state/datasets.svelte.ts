import type { LabClient } from '../../../shared/client';
import type { Dataset, SampleKind, ScanProgress } from '../../../shared/api/datasets';
import { errorText } from '../lib/errors';

export interface SampleRun {
  kind: SampleKind;
  done: number;
  total: number;
}

/** The Datasets view's state: the list, the selection, scan and sample progress, and errors where they happened. */
export class DatasetsState {
  #client: LabClient;
  #items = $state.raw<Dataset[]>([]);
  #selectedId = $state<number | null>(null);
  #progress = $state<Record<number, ScanProgress>>({});
  #sample = $state<SampleRun | null>(null);
  #loaded = $state(false);
  #busy = $state(false);
  #error = $state<string | null>(null);
  /** Datasets that left (id → root): a reply that crossed their `dataset.removed` on the wire must not bring one back. */
  #gone = new Map<number, string>();

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
  /** The sample dataset being generated, if any. */
  get sample(): SampleRun | null {
    return this.#sample;
  }
  filesSeen(id: number): number {
    return this.#progress[id]?.filesSeen ?? 0;
  }
  progress(id: number): ScanProgress | null {
    return this.#progress[id] ?? null;
  }

  /** Subscribes to dataset events; returns the unsubscribe function. */
  listen(): () => void {
    const offs = [
      this.#client.on('dataset.updated', (d) => this.#upsert(d)),
      this.#client.on('dataset.removed', (r) => {
        if (r.root !== null) this.#gone.set(r.id, r.root);
        this.#drop(r.id);
        if (r.reason)
          this.#error = `Nothing was added from ${r.root ?? 'that folder'}: ${r.reason} Open a folder that holds one sub-folder of images per class.`;
      }),
      this.#client.on('dataset.scanProgress', (p) => {
        this.#progress = { ...this.#progress, [p.datasetId]: p };
      }),
      this.#client.on('dataset.sampleProgress', (p) => {
        if (this.#sample?.kind === p.kind) this.#sample = p.finished ? null : { kind: p.kind, done: p.done, total: p.total };
      }),
    ];
    return () => offs.forEach((off) => off());
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
    this.#gone.clear();
    await this.#run(async () => {
      const dataset = await this.#client.invoke('datasets.open', { root });
      this.#upsert(dataset);
      this.#selectedId = dataset.id;
    });
  }

  /** Native folder picker (desktop only), then open. */
  async pickAndOpen(): Promise<void> {
    await this.#run(async () => {
      const { path } = await this.#client.invoke('dialog.pickFolder', {});
      if (path) {
        const dataset = await this.#client.invoke('datasets.open', { root: path });
        this.#upsert(dataset);
        this.#selectedId = dataset.id;
      }
    });
  }

  /** Generates (first time) and opens a built-in dataset; progress arrives as events. */
  async trySample(kind: SampleKind): Promise<void> {
    this.#sample = { kind, done: 0, total: 0 };
    await this.#run(async () => {
      try {
        const dataset = await this.#client.invoke('datasets.trySample', { kind });
        this.#upsert(dataset);
        this.#selectedId = dataset.id;
      } finally {
        this.#sample = null;
      }
    });
  }

  /** Stops the sample being generated; its trySample then ends with the cancellation as the error. */
  async cancelSample(): Promise<void> {
    const kind = this.#sample?.kind;
    if (!kind) return;
    try {
      await this.#client.invoke('datasets.cancelSample', { kind });
    } catch (err) {
      this.#error = errorText(err);
    }
  }

  async rescan(id: number): Promise<void> {
    await this.#run(async () => this.#upsert(await this.#client.invoke('datasets.rescan', { id })));
  }

  async cancelScan(id: number): Promise<void> {
    await this.#run(async () => this.#upsert(await this.#client.invoke('datasets.cancelScan', { id })));
  }

  async setSplit(id: number, valFraction: number, seed: number): Promise<void> {
    await this.#run(async () => this.#upsert(await this.#client.invoke('datasets.setSplit', { id, valFraction, seed })));
  }

  async remove(id: number): Promise<void> {
    await this.#run(async () => {
      await this.#client.invoke('datasets.remove', { id });
      this.#drop(id);
    });
  }

  dismissError(): void {
    this.#error = null;
  }

  #drop(id: number): void {
    this.#items = this.#items.filter((d) => d.id !== id);
    if (this.#selectedId === id) this.#selectedId = this.#items.at(-1)?.id ?? null;
  }

  #upsert(dataset: Dataset): void {
    if (this.#gone.get(dataset.id) === dataset.root) return;
    const i = this.#items.findIndex((d) => d.id === dataset.id);
    this.#items = i < 0 ? [...this.#items, dataset] : this.#items.map((d) => (d.id === dataset.id ? dataset : d));
  }

  async #run(task: () => Promise<void>): Promise<void> {
    this.#busy = true;
    this.#error = null;
    try {
      await task();
    } catch (err) {
      this.#error = errorText(err);
    } finally {
      this.#busy = false;
    }
  }
}
