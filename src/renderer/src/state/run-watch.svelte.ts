import { isActiveStatus, type Run, type RunDetail, type RunProgress } from '../../../shared/api/runs';
import type { XY } from '../components/charts/chart-base';
import type { LineSeries } from '../components/charts/LineChart.svelte';
import { epochCurves, insertByX, mergeLive, progressX, thinBefore, type Metric } from '../lib/run-curves';
import type { BackendName } from '../../../shared/backends';
import { RunViewState } from './run-view.svelte';

/** Live points kept for finished epochs (the current epoch keeps all of its own). */
const LIVE_POINTS_KEPT = 4000;

/**
 * One run, live: its stored detail (config, epochs), the latest progress event, and running-mean
 * points between epochs. Epoch rows are re-read once per finished epoch, never per batch.
 */
export class RunWatch extends RunViewState {
  #detail = $state.raw<RunDetail | null>(null);
  #progress = $state.raw<RunProgress | null>(null);
  // Running means from progress events, and the curves shown. Both grow in place (tens of
  // thousands of points over a long run); `#revision` tells charts to redraw.
  #live: Record<Metric, XY[]> = { loss: [], acc: [] };
  #curves: Record<Metric, LineSeries[]> = { loss: [], acc: [] };
  #revision = $state(0);
  #busy = $state(false);

  get detail(): RunDetail | null {
    return this.#detail;
  }
  get progress(): RunProgress | null {
    return this.#detail?.status === 'running' ? this.#progress : null;
  }
  get active(): boolean {
    return this.#detail !== null && isActiveStatus(this.#detail.status);
  }
  get revision(): number {
    return this.#revision;
  }
  get busy(): boolean {
    return this.#busy;
  }

  /**
   * Train (running mean within each epoch, joined to the epoch values) and validation curves of
   * one metric. The same arrays are returned until the stored epochs change; live points are
   * appended to them in place, and `revision` moves.
   */
  series(metric: Metric): LineSeries[] {
    void this.#revision;
    return this.#curves[metric];
  }

  /** Subscribes to this run's progress and updates; returns the unsubscribe. */
  listen(): () => void {
    const offProgress = this.client.on('run.progress', (p) => {
      if (p.runId !== this.runId) return;
      this.#progress = p;
      const x = progressX(p);
      this.#append('loss', { x, y: p.loss });
      this.#append('acc', { x, y: p.acc });
      this.#revision++;
    });
    const offUpdated = this.client.on('run.updated', (run) => {
      if (run.id === this.runId) this.#onUpdated(run);
    });
    return () => {
      offProgress();
      offUpdated();
    };
  }

  async load(): Promise<void> {
    await this.readRun(async () => {
      this.#detail = await this.client.invoke('runs.get', { id: this.runId });
      this.#rebuildCurves();
    });
  }

  async cancel(): Promise<void> {
    await this.#act(() => this.client.invoke('runs.cancel', { id: this.runId }));
  }

  /** Continues the run; `backend` retries it on another rung (its own does not load here). */
  async resume(backend?: BackendName): Promise<void> {
    await this.#act(() => this.client.invoke('runs.resume', backend ? { id: this.runId, backend } : { id: this.runId }));
  }

  reset(): void {
    this.#detail = null;
    this.#progress = null;
    this.#live = { loss: [], acc: [] };
    this.#curves = { loss: [], acc: [] };
    this.#revision++;
    this.dismissError();
  }

  #append(metric: Metric, point: XY): void {
    this.#live[metric].push(point);
    const train = this.#curves[metric][0]?.points as XY[] | undefined;
    if (train) insertByX(train, point);
    else this.#rebuildCurves();
  }

  #rebuildCurves(): void {
    for (const metric of ['loss', 'acc'] as const) {
      const { train, val } = epochCurves(this.#detail?.epochs ?? [], metric);
      this.#live[metric] = thinBefore(this.#live[metric], train.at(-1)?.x ?? 0, LIVE_POINTS_KEPT);
      this.#curves[metric] = [
        { label: 'train', points: mergeLive(train, this.#live[metric]), color: 0 },
        { label: 'validation', points: val, color: 1 },
      ];
    }
    this.#revision++;
  }

  #onUpdated(run: Run): void {
    const previous = this.#detail;
    if (!previous) return void this.load();
    this.#detail = { ...run, epochs: previous.epochs };
    if (run.epochsDone !== previous.epochsDone || run.status !== previous.status) void this.load();
  }

  async #act(action: () => Promise<Run>): Promise<void> {
    this.#busy = true;
    this.dismissError();
    try {
      this.#onUpdated(await action());
    } catch (err) {
      this.showError(err);
    } finally {
      this.#busy = false;
    }
  }
}
