import type { ActivationsView } from '../../../shared/api/sweeps';
import { defaultShownKTests } from '../lib/activations';
import { RunViewState } from './run-view.svelte';

/** The Activations view of one run: its pooled-feature distributions per K_test, kept current while a sweep adds points. */
export class ActivationsState extends RunViewState {
  #view = $state.raw<ActivationsView | null>(null);
  #bins = $state(60);
  /** The K_test values the user chose to draw; null = defaultShownKTests. */
  #picked = $state<number[] | null>(null);

  get view(): ActivationsView | null {
    return this.#view;
  }
  /** Every measured K_test, ascending. */
  get kTests(): number[] {
    return [...new Set(this.#view?.series.map((s) => s.kTest) ?? [])].sort((a, b) => a - b);
  }
  /** The K_test values drawn: the user's choice, else K_train, K_test*, the best and the extremes. */
  get shown(): number[] {
    return this.#picked ?? (this.#view ? defaultShownKTests(this.#view) : []);
  }
  /** Whether the drawn set is the default one. */
  get pickedByUser(): boolean {
    return this.#picked !== null;
  }

  /** Draws or hides one K_test. */
  toggle(kTest: number): void {
    const shown = this.shown;
    this.#picked = (shown.includes(kTest) ? shown.filter((k) => k !== kTest) : [...shown, kTest]).sort((a, b) => a - b);
  }

  /** Draws every measured K_test (true) or the defaults again (false). */
  showAll(all: boolean): void {
    this.#picked = all ? this.kTests : null;
  }

  get bins(): number {
    return this.#bins;
  }
  /** True once loaded when no sweep has stored statistics for the run. */
  get empty(): boolean {
    return this.#view !== null && this.#view.series.length === 0;
  }

  /** Reloads when a sweep of this run stores a K_test's statistics; returns the unsubscribe. */
  listen(): () => void {
    return this.client.on('sweep.point', (p) => {
      if (p.runId === this.runId && p.activations) void this.load();
    });
  }

  async load(): Promise<void> {
    await this.readRun(async () => {
      this.#view = await this.client.invoke('sweeps.activations', { runId: this.runId, bins: this.#bins });
    });
  }

  /** Re-bins the shared grid (5…500 bins). */
  async setBins(bins: number): Promise<void> {
    if (!Number.isInteger(bins) || bins < 5 || bins > 500 || bins === this.#bins) return;
    this.#bins = bins;
    await this.load();
  }

  reset(): void {
    this.#view = null;
    this.#bins = 60;
    this.dismissError();
    this.forgetMissing();
    this.#picked = null;
  }
}
