import type { Run, RunDetail, RunProgress } from '../../../shared/api/runs';
import type { LabClient } from '../../../shared/client';
import type { XY } from '../components/charts/chart-base';
import type { LineSeries } from '../components/charts/LineChart.svelte';
import { messageOf } from '../lib/errors';
import { epochCurves, mergeLive, progressX, type Metric } from '../lib/run-curves';

const ACTIVE = new Set(['queued', 'running']);

/**
 * One run, live: its stored detail (config, epochs), the latest progress event, and running-mean
 * points between epochs. Epoch rows are re-read once per finished epoch, never per batch.
 */
export class RunWatch {
  readonly runId: number;
  #client: LabClient;
  #detail = $state.raw<RunDetail | null>(null);
  #progress = $state.raw<RunProgress | null>(null);
  // Appended in place (thousands of points over a long run); `#revision` tells charts to redraw.
  #live: Record<Metric, XY[]> = { loss: [], acc: [] };
  #revision = $state(0);
  #busy = $state(false);
  #error = $state<string | null>(null);
  #notFound = $state(false);

  constructor(client: LabClient, runId: number) {
    this.#client = client;
    this.runId = runId;
  }

  get detail(): RunDetail | null {
    return this.#detail;
  }
  get progress(): RunProgress | null {
    return this.#detail?.status === 'running' ? this.#progress : null;
  }
  get active(): boolean {
    return this.#detail !== null && ACTIVE.has(this.#detail.status);
  }
  get revision(): number {
    return this.#revision;
  }
  get busy(): boolean {
    return this.#busy;
  }
  get error(): string | null {
    return this.#error;
  }
  get notFound(): boolean {
    return this.#notFound;
  }

  /** Train (live running mean, then per epoch) and validation curves of one metric. */
  series(metric: Metric): LineSeries[] {
    void this.#revision;
    const { train, val } = epochCurves(this.#detail?.epochs ?? [], metric);
    return [
      { label: 'train', points: mergeLive(train, this.#live[metric]), color: 0 },
      { label: 'validation', points: val, color: 1 },
    ];
  }

  /** Subscribes to this run's progress and updates; returns the unsubscribe. */
  listen(): () => void {
    const offProgress = this.#client.on('run.progress', (p) => {
      if (p.runId !== this.runId) return;
      this.#progress = p;
      const x = progressX(p);
      this.#live.loss.push({ x, y: p.loss });
      this.#live.acc.push({ x, y: p.acc });
      this.#revision++;
    });
    const offUpdated = this.#client.on('run.updated', (run) => {
      if (run.id === this.runId) this.#onUpdated(run);
    });
    return () => {
      offProgress();
      offUpdated();
    };
  }

  async load(): Promise<void> {
    try {
      this.#detail = await this.#client.invoke('runs.get', { id: this.runId });
      this.#error = null;
      this.#notFound = false;
    } catch (err) {
      this.#error = messageOf(err);
      this.#notFound = /^No run with id/.test(this.#error);
    }
  }

  async cancel(): Promise<void> {
    await this.#act(() => this.#client.invoke('runs.cancel', { id: this.runId }));
  }

  async resume(): Promise<void> {
    await this.#act(() => this.#client.invoke('runs.resume', { id: this.runId }));
  }

  dismissError(): void {
    this.#error = null;
  }

  reset(): void {
    this.#detail = null;
    this.#progress = null;
    this.#live = { loss: [], acc: [] };
    this.#revision++;
    this.#error = null;
  }

  #onUpdated(run: Run): void {
    const previous = this.#detail;
    if (!previous) return void this.load();
    this.#detail = { ...run, epochs: previous.epochs };
    if (run.epochsDone !== previous.epochsDone || run.status !== previous.status) void this.load();
  }

  async #act(action: () => Promise<Run>): Promise<void> {
    this.#busy = true;
    this.#error = null;
    try {
      this.#onUpdated(await action());
    } catch (err) {
      this.#error = messageOf(err);
    } finally {
      this.#busy = false;
    }
  }
}
