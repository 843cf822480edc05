import type { RunDetail } from '../../../shared/api/runs';
import type { LabClient } from '../../../shared/client';
import type { LineSeries } from '../components/charts/LineChart.svelte';
import { configDiff, type ConfigDiffRow } from '../lib/config-diff';
import { errorText } from '../lib/errors';
import { overlaidStyle } from '../lib/overlaid-series';
import { epochCurves, type Metric } from '../lib/run-curves';

/** Two or more runs side by side: their configs diffed and their validation curves overlaid. */
export class RunCompareState {
  #client: LabClient;
  #runs = $state.raw<RunDetail[]>([]);
  #missing = $state.raw<string[]>([]);
  #loading = $state(false);

  constructor(client: LabClient) {
    this.#client = client;
  }

  get runs(): RunDetail[] {
    return this.#runs;
  }
  /** Runs that could not be loaded, with the reason. */
  get missing(): string[] {
    return this.#missing;
  }
  get loading(): boolean {
    return this.#loading;
  }

  get diff(): ConfigDiffRow[] {
    return configDiff(this.#runs.map((r) => ({ ...r.config })));
  }

  /** One curve per run (validation if it has any, else training), coloured by run and overlaid distinctly. */
  series(metric: Metric): LineSeries[] {
    return this.#runs.map((r, i) => {
      const { train, val } = epochCurves(r.epochs, metric);
      return {
        label: `#${r.id} ${val.length ? 'val' : 'train'}`,
        points: val.length ? val : train,
        color: i,
        ...overlaidStyle(i),
      };
    });
  }

  async load(ids: readonly number[]): Promise<void> {
    this.#loading = true;
    const results = await Promise.allSettled(ids.map((id) => this.#client.invoke('runs.get', { id })));
    this.#runs = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    this.#missing = results.flatMap((r, i) => (r.status === 'rejected' ? [`#${ids[i]}: ${errorText(r.reason)}`] : []));
    this.#loading = false;
  }

  reset(): void {
    this.#runs = [];
    this.#missing = [];
  }
}
