import type { FinetuneRequest, FinetuneStarted } from '../../../shared/api/finetune';
import { isActiveStatus as isActive, type Run, type RunProgress } from '../../../shared/api/runs';
import type { ResolutionChart, Sweep, SweepPlan, SweepProgressEvent } from '../../../shared/api/sweeps';
import { errorText } from '../lib/errors';
import { RunViewState } from './run-view.svelte';

/** A fine-tune launched from the view: the child trains, then the lab sweeps it at the parent's K_test list. */
export interface FinetuneTask {
  run: Run;
  progress: RunProgress | null;
  /** The child's sweep, queued behind its training by the lab (runs.finetune with sweepAfter). */
  sweep: Sweep | null;
  sweepProgress: SweepProgressEvent | null;
}

/**
 * The Resolution view of one run: its accuracy-vs-K_test chart, the default sweep plan, and the two
 * long tasks started from here (a sweep of the run; a fine-tune at a chosen K_test followed by a
 * sweep of the child), each followed live through events and cancellable.
 */
export class ResolutionState extends RunViewState {
  #chart = $state.raw<ResolutionChart | null>(null);
  #plan = $state.raw<SweepPlan | null>(null);
  #planError = $state<string | null>(null);
  #sweep = $state.raw<Sweep | null>(null);
  #sweepProgress = $state.raw<SweepProgressEvent | null>(null);
  #sweepError = $state<string | null>(null);
  #finetune = $state.raw<FinetuneTask | null>(null);
  #finetuneError = $state<string | null>(null);
  #busy = $state(false);

  get chart(): ResolutionChart | null {
    return this.#chart;
  }
  /** The run the chart is about (the parent when a fine-tuned child was opened). */
  get baseRunId(): number {
    return this.#chart?.runId ?? this.runId;
  }
  get plan(): SweepPlan | null {
    return this.#plan;
  }
  /** Why no sweep can be started (e.g. the run has no checkpoint yet). */
  get planError(): string | null {
    return this.#planError;
  }
  /** The latest sweep of the run started or found here (running, or how it ended). */
  get sweep(): Sweep | null {
    return this.#sweep;
  }
  get sweepRunning(): boolean {
    return this.#sweep !== null && isActive(this.#sweep.status);
  }
  get sweepProgress(): SweepProgressEvent | null {
    return this.sweepRunning ? this.#sweepProgress : null;
  }
  get sweepError(): string | null {
    return this.#sweepError;
  }
  get finetune(): FinetuneTask | null {
    return this.#finetune;
  }
  get finetuneRunning(): boolean {
    const task = this.#finetune;
    if (!task) return false;
    return isActive(task.run.status) || (task.sweep !== null && isActive(task.sweep.status));
  }
  /** The child has trained and its sweep is on its way. */
  get finetuneSweeping(): boolean {
    const task = this.#finetune;
    return task?.run.status === 'completed' && task.sweep !== null && isActive(task.sweep.status);
  }
  get finetuneError(): string | null {
    return this.#finetuneError;
  }
  get busy(): boolean {
    return this.#busy;
  }
  /** Whether the chart has any measured point. */
  get empty(): boolean {
    return (this.#chart?.series.length ?? 0) === 0;
  }

  /** Subscribes to sweep and run events of this run and its fine-tune; returns the unsubscribe. */
  listen(): () => void {
    const offs = [
      this.client.on('sweep.updated', (sweep) => this.#onSweep(sweep)),
      this.client.on('sweep.progress', (p) => {
        if (p.sweepId === this.#sweep?.id) this.#sweepProgress = p;
        const task = this.#finetune;
        if (task && p.sweepId === task.sweep?.id) this.#finetune = { ...task, sweepProgress: p };
      }),
      this.client.on('sweep.point', (p) => {
        if (p.runId === this.baseRunId || p.runId === this.#finetune?.run.id) void this.#reloadChart();
      }),
      this.client.on('run.progress', (p) => {
        const task = this.#finetune;
        if (task && p.runId === task.run.id) this.#finetune = { ...task, progress: p };
      }),
      this.client.on('run.updated', (run) => this.#onRun(run)),
    ];
    return () => offs.forEach((off) => off());
  }

  /** Reads the chart and plan, and picks up a sweep or fine-tune of this run still in progress. */
  async load(): Promise<void> {
    const read = await this.readRun(async () => {
      this.#chart = await this.client.invoke('sweeps.resolution', { runId: this.runId });
    });
    if (!read) return;
    const base = this.baseRunId;
    const [plan, sweeps, runs] = await Promise.allSettled([
      this.client.invoke('sweeps.plan', { runId: base }),
      this.client.invoke('sweeps.list', { runId: base }),
      this.client.invoke('runs.list', {}),
    ]);
    this.#plan = plan.status === 'fulfilled' ? plan.value : null;
    this.#planError = plan.status === 'rejected' ? errorText(plan.reason) : null;
    if (sweeps.status === 'fulfilled') this.#sweep = sweeps.value.find((s) => isActive(s.status)) ?? this.#sweep;
    if (runs.status === 'fulfilled' && !this.#finetune) await this.#adoptFinetune(runs.value, base);
  }

  /** Sweeps the run over `kTests` (default: the plan) with or without the Fréchet adaptation. */
  async startSweep(options: { adapter: 'none' | 'frechet'; kTests?: number[] }): Promise<void> {
    await this.#act(
      async () => {
        this.#sweep = await this.client.invoke('sweeps.start', {
          runId: this.baseRunId,
          adapter: options.adapter,
          ...(options.kTests?.length ? { kTests: options.kTests } : {}),
        });
        this.#sweepProgress = null;
        this.#sweepError = null;
      },
      (message) => (this.#sweepError = message),
    );
  }

  async cancelSweep(): Promise<void> {
    const sweep = this.#sweep;
    if (!sweep) return;
    await this.#act(
      async () => this.#onSweep(await this.client.invoke('sweeps.cancel', { id: sweep.id })),
      (message) => (this.#sweepError = message),
    );
  }

  /** Fine-tunes the run at a K_test; the lab sweeps the child at the parent's K_test list once it has trained. */
  async startFinetune(options: Pick<FinetuneRequest, 'kTest' | 'mode' | 'epochs'>): Promise<void> {
    await this.#act(
      async () => {
        const started: FinetuneStarted = await this.client.invoke('runs.finetune', {
          parentRunId: this.baseRunId,
          ...options,
          sweepAfter: {},
        });
        this.#finetune = { ...started, progress: null, sweepProgress: null };
        this.#finetuneError = null;
      },
      (message) => (this.#finetuneError = message),
    );
  }

  /** Cancels the fine-tune: its training and the sweep queued behind it, or only the sweep once training is over. */
  async cancelFinetune(): Promise<void> {
    const task = this.#finetune;
    if (!task) return;
    await this.#act(
      async () => {
        if (isActive(task.run.status)) this.#onRun(await this.client.invoke('runs.cancel', { id: task.run.id }));
        if (task.sweep && isActive(task.sweep.status))
          this.#onSweep(await this.client.invoke('sweeps.cancel', { id: task.sweep.id }));
      },
      (message) => (this.#finetuneError = message),
    );
  }

  dismissErrors(): void {
    this.dismissError();
    this.#sweepError = null;
    this.#finetuneError = null;
  }

  reset(): void {
    this.#chart = null;
    this.#plan = null;
    this.#planError = null;
    this.#sweep = null;
    this.#sweepProgress = null;
    this.#finetune = null;
    this.dismissErrors();
  }

  #onSweep(sweep: Sweep): void {
    // A sweep of this run started elsewhere (CLI, workflow) is followed too when none is running here.
    const adopt = sweep.runId === this.baseRunId && isActive(sweep.status) && !this.sweepRunning;
    if (sweep.id === this.#sweep?.id || adopt) {
      this.#sweep = sweep;
      if (sweep.error) this.#sweepError = sweep.error;
      if (!isActive(sweep.status)) void this.#reloadChart();
    }
    const task = this.#finetune;
    if (task && sweep.id === task.sweep?.id) {
      this.#finetune = { ...task, sweep };
      // A sweep behind a fine-tune that did not complete says so; the run's own error says why.
      if (sweep.error && task.run.status === 'completed') this.#finetuneError = sweep.error;
      if (!isActive(sweep.status)) void this.#reloadChart();
    }
  }

  #onRun(run: Run): void {
    const task = this.#finetune;
    if (!task || run.id !== task.run.id) return;
    const finished = isActive(task.run.status) && !isActive(run.status);
    this.#finetune = { ...task, run };
    if (finished && run.status !== 'completed') this.#finetuneError = run.error ?? `The fine-tune was ${run.status}`;
  }

  /** Follows the newest fine-tune of the run still training or being swept (started here earlier, or elsewhere). */
  async #adoptFinetune(runs: Run[], base: number): Promise<void> {
    const child = runs.filter((r) => r.parentId === base && r.kind === 'finetune').sort((a, b) => b.id - a.id)[0];
    if (!child) return;
    const [sweep = null] = await this.client.invoke('sweeps.list', { runId: child.id }).catch(() => []);
    if (!isActive(child.status) && !(sweep && isActive(sweep.status))) return;
    this.#finetune ??= { run: child, progress: null, sweep, sweepProgress: null };
  }

  async #reloadChart(): Promise<void> {
    try {
      this.#chart = await this.client.invoke('sweeps.resolution', { runId: this.runId });
    } catch (err) {
      this.showError(err);
    }
  }

  async #act(action: () => Promise<void>, onError: (message: string) => void): Promise<void> {
    this.#busy = true;
    try {
      await action();
    } catch (err) {
      onError(errorText(err));
    } finally {
      this.#busy = false;
    }
  }
}
