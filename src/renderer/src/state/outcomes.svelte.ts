import type { Mistake, OutcomeDetail, OutcomeKey, OutcomePoint } from '../../../shared/api/outcomes';
import type { LabClient } from '../../../shared/client';
import { errorText } from '../lib/errors';

/** Mistakes fetched per page of the gallery. */
export const MISTAKES_PAGE = 24;

/** Which true/predicted class the gallery shows (label indices; null = any). */
export interface MistakeFilter {
  trueClass: number | null;
  predictedClass: number | null;
}

/** The same measured point (run, K_test, adapter). */
export const sameKey = (a: OutcomeKey, b: OutcomeKey): boolean =>
  a.runId === b.runId && a.kTest === b.kTest && a.adapter === b.adapter;

/**
 * Where a model is wrong, for one run (its last validation and its sweep points) or its whole
 * family (the Resolution view: every K_test, as is, adapted and fine-tuned): the stored points, the
 * chosen one's confusion matrix and per-class accuracy, and a page of its misclassified images with
 * their thumbnails. Reloads when the lab stores a point (`outcome.saved`).
 */
export class OutcomesState {
  readonly runId: number;
  readonly scope: 'run' | 'family';
  #client: LabClient;
  #points = $state.raw<OutcomePoint[]>([]);
  #selected = $state.raw<OutcomeKey | null>(null);
  #detail = $state.raw<OutcomeDetail | null>(null);
  #mistakes = $state.raw<Mistake[]>([]);
  #total = $state(0);
  #filter = $state.raw<MistakeFilter>({ trueClass: null, predictedClass: null });
  #thumbs = $state.raw<Record<number, string | null>>({});
  #loaded = $state(false);
  #error = $state<string | null>(null);
  #request = 0;

  constructor(client: LabClient, runId: number, scope: 'run' | 'family') {
    this.#client = client;
    this.runId = runId;
    this.scope = scope;
  }

  get points(): OutcomePoint[] {
    return this.#points;
  }
  get selected(): OutcomeKey | null {
    return this.#selected;
  }
  get detail(): OutcomeDetail | null {
    return this.#detail;
  }
  get mistakes(): Mistake[] {
    return this.#mistakes;
  }
  get total(): number {
    return this.#total;
  }
  get filter(): MistakeFilter {
    return this.#filter;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  get error(): string | null {
    return this.#error;
  }
  thumbnail(imageId: number | null): string | null {
    return imageId === null ? null : (this.#thumbs[imageId] ?? null);
  }

  /** Reloads the points when the lab stores one (a sweep measured it, a run finished, from this window or another). */
  listen(): () => void {
    return this.#client.on('outcome.saved', (key) => {
      const reselect = this.#selected !== null && sameKey(key, this.#selected);
      void this.load(reselect);
    });
  }

  /** The stored points; keeps the chosen one, else picks the run's own (its last validation, else its first). */
  async load(reloadSelected = false): Promise<void> {
    try {
      const all = await this.#client.invoke('outcomes.points', { runId: this.runId });
      this.#points = this.scope === 'run' ? all.filter((p) => p.runId === this.runId) : all;
      this.#loaded = true;
      const kept = this.#selected && this.#points.find((p) => sameKey(p, this.#selected!));
      if (kept && !reloadSelected) return;
      const pick = kept ?? this.#points.find((p) => p.runId === this.runId && p.source === 'training') ?? this.#points[0];
      if (pick) await this.select(pick);
    } catch (err) {
      this.#error = errorText(err);
    }
  }

  /** Shows a point: its matrix, per-class accuracy and first page of mistakes (any class). */
  async select(key: OutcomeKey): Promise<void> {
    const request = ++this.#request;
    this.#selected = { runId: key.runId, kTest: key.kTest, adapter: key.adapter };
    this.#filter = { trueClass: null, predictedClass: null };
    try {
      const detail = await this.#client.invoke('outcomes.get', this.#selected);
      if (request !== this.#request) return;
      this.#detail = detail;
      await this.#loadMistakes(request, 0);
    } catch (err) {
      if (request === this.#request) this.#error = errorText(err);
    }
  }

  /** Shows only the mistakes of one true and/or predicted class (null = any). */
  async setFilter(filter: MistakeFilter): Promise<void> {
    if (!this.#selected) return;
    this.#filter = filter;
    await this.#loadMistakes(++this.#request, 0);
  }

  /** Appends the next page of mistakes. */
  async more(): Promise<void> {
    await this.#loadMistakes(++this.#request, this.#mistakes.length);
  }

  dismissError(): void {
    this.#error = null;
  }

  async #loadMistakes(request: number, offset: number): Promise<void> {
    const key = this.#selected!;
    const f = this.#filter;
    try {
      const page = await this.#client.invoke('outcomes.mistakes', {
        ...key,
        ...(f.trueClass === null ? {} : { trueClass: f.trueClass }),
        ...(f.predictedClass === null ? {} : { predictedClass: f.predictedClass }),
        offset,
        limit: MISTAKES_PAGE,
      });
      if (request !== this.#request) return;
      this.#mistakes = offset ? [...this.#mistakes, ...page.items] : page.items;
      this.#total = page.total;
      const ids = page.items.map((m) => m.imageId).filter((id): id is number => id !== null && !(id in this.#thumbs));
      if (ids.length) {
        const thumbs = await this.#client.invoke('datasets.thumbnails', { imageIds: ids });
        const next = { ...this.#thumbs };
        for (const t of thumbs) next[t.imageId] = t.dataUrl;
        this.#thumbs = next;
      }
    } catch (err) {
      if (request === this.#request) this.#error = errorText(err);
    }
  }
}
