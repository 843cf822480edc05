import type { Dataset } from '../../shared/api/datasets';
import type { OutcomeKey } from '../../shared/api/outcomes';
import type { Run } from '../../shared/api/runs';
import type { Sweep } from '../../shared/api/sweeps';
import type { Workflow } from '../../shared/api/workflows';
import type { Db } from '../../store/db';
import type { LabEvents } from '../events';

/** How often the lab asks SQLite whether another process wrote (one PRAGMA: microseconds). */
export const EXTERNAL_POLL_MS = 1000;

/** What the watcher reads when another process wrote: the lists the clients keep, as the lab's services give them. */
export interface WatchedLists {
  datasets: () => Dataset[];
  runs: () => Run[];
  sweeps: () => Sweep[];
  workflows: () => Workflow[];
}

/**
 * Live everywhere: work the CLI (or another lab) does on the same data folder reaches this lab's
 * clients without a reload. SQLite's `PRAGMA data_version` changes only when another connection
 * commits, so polling it is nearly free; on a change, the datasets, runs, sweeps, workflows and
 * stored outcomes are compared with what was last seen and each new or changed one is announced
 * with the event the lab itself sends for it (`dataset.updated`, `run.updated`, `sweep.updated`, `workflow.updated`,
 * `outcome.saved`). The lab's own writes leave data_version alone: they were announced already.
 */
export class ExternalChanges {
  #db: Db;
  #events: LabEvents;
  #lists: WatchedLists;
  #version: number;
  #seen = new Map<string, string>();
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(db: Db, events: LabEvents, lists: WatchedLists) {
    this.#db = db;
    this.#events = events;
    this.#lists = lists;
    this.#version = this.#dataVersion();
    this.#snapshot(false);
  }

  /** Polls every `intervalMs` without keeping the process alive. */
  start(intervalMs = EXTERNAL_POLL_MS): void {
    this.#timer ??= setInterval(() => this.check(), intervalMs);
    this.#timer.unref?.();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** One poll: when another process wrote, announces what it changed. Never throws (a closed database stops it). */
  check(): void {
    if (!this.#db.open) return this.stop();
    try {
      const version = this.#dataVersion();
      if (version === this.#version) return;
      this.#version = version;
      this.#snapshot(true);
    } catch {
      // A busy or vanished database: the next poll tries again; the lab's own error paths report real failures.
    }
  }

  #dataVersion(): number {
    return this.#db.pragma('data_version', { simple: true }) as number;
  }

  #snapshot(announce: boolean): void {
    const changed = <T>(key: string, value: T, fingerprint: string, emit: (v: T) => void) => {
      if (this.#seen.get(key) === fingerprint) return;
      this.#seen.set(key, fingerprint);
      if (announce) emit(value);
    };
    for (const dataset of this.#lists.datasets())
      changed(`dataset/${dataset.id}`, dataset, JSON.stringify(dataset), (d) => this.#events.emit('dataset.updated', d));
    for (const run of this.#lists.runs())
      changed(`run/${run.id}`, run, JSON.stringify(run), (r) => this.#events.emit('run.updated', r));
    for (const sweep of this.#lists.sweeps())
      changed(`sweep/${sweep.id}`, sweep, JSON.stringify(sweep), (s) => this.#events.emit('sweep.updated', s));
    for (const flow of this.#lists.workflows())
      changed(`workflow/${flow.id}`, flow, JSON.stringify(flow), (w) => this.#events.emit('workflow.updated', w));
    const outcomes = this.#db.prepare(`SELECT run_id, k_test, adapter, created_at FROM point_outcomes`).all() as {
      run_id: number;
      k_test: number;
      adapter: OutcomeKey['adapter'];
      created_at: string;
    }[];
    for (const o of outcomes)
      changed(`outcome/${o.run_id}/${o.k_test}/${o.adapter}`, o, o.created_at, () =>
        this.#events.emit('outcome.saved', { runId: o.run_id, kTest: o.k_test, adapter: o.adapter }),
      );
  }
}
