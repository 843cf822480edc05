import type { Run } from '../../../shared/api/runs';
import type { LabClient } from '../../../shared/client';
import { errorText } from '../lib/errors';
import { upsertById } from '../lib/upsert';
import { filterRuns, sortRuns, type RunFilter, type RunSortKey, type SortDirection } from '../lib/run-table';

/** Keys whose natural first order is descending (newest, best, fastest first). */
const DESCENDING_FIRST = new Set<RunSortKey>(['id', 'acc', 'speed', 'time']);

/** The Runs table: every run, kept current by `run.updated`, sorted, filtered, picked for comparison. */
export class RunsState {
  #client: LabClient;
  #datasetName: (id: number | null) => string = () => '';
  #items = $state.raw<Run[]>([]);
  #loaded = $state(false);
  #error = $state<string | null>(null);
  #sort = $state.raw<{ key: RunSortKey; direction: SortDirection }>({ key: 'id', direction: 'desc' });
  #filter = $state.raw<RunFilter>({ text: '', status: 'all' });
  #picked = $state.raw<number[]>([]);

  readonly #visible = $derived(
    sortRuns(filterRuns(this.#items, this.#filter, this.#datasetName), this.#sort.key, this.#sort.direction, this.#datasetName),
  );

  /** `datasetName` names a run's dataset for sorting and filtering. */
  constructor(client: LabClient, datasetName: (id: number | null) => string) {
    this.#client = client;
    this.#datasetName = datasetName;
  }

  get all(): Run[] {
    return this.#items;
  }
  get visible(): Run[] {
    return this.#visible;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  get error(): string | null {
    return this.#error;
  }
  get sort(): { key: RunSortKey; direction: SortDirection } {
    return this.#sort;
  }
  get filter(): RunFilter {
    return this.#filter;
  }
  get picked(): number[] {
    return this.#picked;
  }

  /** Subscribes to run updates; returns the unsubscribe. */
  listen(): () => void {
    return this.#client.on('run.updated', (run) => (this.#items = upsertById(this.#items, run, { prepend: true })));
  }

  async load(): Promise<void> {
    try {
      this.#items = await this.#client.invoke('runs.list', {});
      this.#error = null;
    } catch (err) {
      this.#error = errorText(err);
    } finally {
      this.#loaded = true;
    }
  }

  /** Sorts by a column; the same column again flips the direction. */
  sortBy(key: RunSortKey): void {
    const { key: current, direction } = this.#sort;
    if (key === current) this.#sort = { key, direction: direction === 'asc' ? 'desc' : 'asc' };
    else this.#sort = { key, direction: DESCENDING_FIRST.has(key) ? 'desc' : 'asc' };
  }

  setFilter(patch: Partial<RunFilter>): void {
    this.#filter = { ...this.#filter, ...patch };
  }

  togglePick(id: number): void {
    this.#picked = this.#picked.includes(id) ? this.#picked.filter((p) => p !== id) : [...this.#picked, id];
  }

  /** Deletes a run with its epochs and checkpoints; true when it was deleted. */
  async remove(id: number): Promise<boolean> {
    try {
      const { deleted } = await this.#client.invoke('runs.delete', { id });
      this.#items = this.#items.filter((r) => r.id !== id);
      this.#picked = this.#picked.filter((p) => p !== id);
      this.#error = null;
      return deleted;
    } catch (err) {
      this.#error = errorText(err);
      return false;
    }
  }

  dismissError(): void {
    this.#error = null;
  }

  reset(): void {
    this.#items = [];
    this.#loaded = false;
    this.#error = null;
    this.#sort = { key: 'id', direction: 'desc' };
    this.#filter = { text: '', status: 'all' };
    this.#picked = [];
  }
}
