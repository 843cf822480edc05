import type { LabClient } from '../../../shared/client';
import type { ImageSummary, Inspection } from '../../../shared/api/datasets';
import { errorText } from '../lib/errors';

const PAGE = 60;
const THUMB_BATCH = 60;

/**
 * What the detail pane shows for one dataset: its inspection, the image grid (paged, one class
 * at a time), thumbnails fetched in batches as tiles scroll into view, and the large preview.
 */
export class DatasetDetailState {
  readonly datasetId: number;
  #client: LabClient;
  #inspection = $state.raw<Inspection | null>(null);
  #inspectionError = $state<string | null>(null);
  #tinyK = $state<number | null>(null);
  #className = $state<string | null>(null);
  #images = $state.raw<ImageSummary[]>([]);
  #total = $state(0);
  #gridError = $state<string | null>(null);
  #loadingPage = $state(false);
  #thumbs = $state<Record<number, string | null>>({});
  #wanted = new Set<number>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #preview = $state<{ image: ImageSummary; dataUrl: string | null; error: string | null } | null>(null);

  constructor(client: LabClient, datasetId: number) {
    this.#client = client;
    this.datasetId = datasetId;
  }

  get inspection(): Inspection | null {
    return this.#inspection;
  }
  get inspectionError(): string | null {
    return this.#inspectionError;
  }
  get className(): string | null {
    return this.#className;
  }
  get images(): ImageSummary[] {
    return this.#images;
  }
  get total(): number {
    return this.#total;
  }
  get hasMore(): boolean {
    return this.#images.length < this.#total;
  }
  get loadingPage(): boolean {
    return this.#loadingPage;
  }
  get gridError(): string | null {
    return this.#gridError;
  }
  get preview(): { image: ImageSummary; dataUrl: string | null; error: string | null } | null {
    return this.#preview;
  }
  /** undefined = not loaded yet, null = cannot be shown. */
  thumbnail(imageId: number): string | null | undefined {
    return this.#thumbs[imageId];
  }

  /** The K tiny images are judged against; null = the lab's rule (default K_train, or the median short side below it). */
  get tinyK(): number | null {
    return this.#tinyK;
  }

  /** Judges tiny images against another K (null: the lab's rule) and reloads the inspection. */
  async judgeTinyAt(k: number | null): Promise<void> {
    this.#tinyK = k;
    await this.loadInspection();
  }

  async loadInspection(): Promise<void> {
    try {
      const k = this.#tinyK;
      this.#inspection = await this.#client.invoke('datasets.inspection', { id: this.datasetId, ...(k === null ? {} : { k }) });
      this.#inspectionError = null;
    } catch (err) {
      this.#inspectionError = errorText(err);
    }
  }

  /** After a (re)scan: reload the inspection and the grid's current class. */
  async refresh(): Promise<void> {
    this.#thumbs = {};
    await Promise.all([this.loadInspection(), this.#className === null ? null : this.showClass(this.#className)]);
  }

  /** Shows one class in the grid (from its first page). */
  async showClass(className: string): Promise<void> {
    this.#className = className;
    this.#images = [];
    this.#total = 0;
    await this.loadMore();
  }

  async loadMore(): Promise<void> {
    if (this.#loadingPage || this.#className === null) return;
    this.#loadingPage = true;
    const className = this.#className;
    try {
      const page = await this.#client.invoke('datasets.images', {
        id: this.datasetId,
        className,
        offset: this.#images.length,
        limit: PAGE,
      });
      if (className !== this.#className) return;
      this.#images = [...this.#images, ...page.images];
      this.#total = page.total;
      this.#gridError = null;
    } catch (err) {
      this.#gridError = errorText(err);
    } finally {
      this.#loadingPage = false;
    }
  }

  /** A tile became visible: fetch its thumbnail with the others that appear within 50 ms. */
  want(imageId: number): void {
    if (imageId in this.#thumbs || this.#wanted.has(imageId)) return;
    this.#wanted.add(imageId);
    this.#timer ??= setTimeout(() => void this.#fetchThumbs(), 50);
  }

  async openPreview(image: ImageSummary): Promise<void> {
    this.#preview = { image, dataUrl: null, error: null };
    if (image.status === 'unreadable') {
      this.#preview = { image, dataUrl: null, error: image.error ?? 'This file cannot be read.' };
      return;
    }
    try {
      const { dataUrl } = await this.#client.invoke('datasets.preview', { imageId: image.id, maxSide: 1024 });
      if (this.#preview?.image.id === image.id) this.#preview = { image, dataUrl, error: null };
    } catch (err) {
      if (this.#preview?.image.id === image.id) this.#preview = { image, dataUrl: null, error: errorText(err) };
    }
  }

  /** Moves the preview to the previous (-1) or next (+1) image of the grid. */
  async step(delta: number): Promise<void> {
    const current = this.#preview?.image;
    const i = current ? this.#images.findIndex((img) => img.id === current.id) : -1;
    const next = this.#images[i + delta];
    if (next) await this.openPreview(next);
  }

  closePreview(): void {
    this.#preview = null;
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
  }

  async #fetchThumbs(): Promise<void> {
    this.#timer = null;
    const ids = [...this.#wanted].slice(0, THUMB_BATCH);
    ids.forEach((id) => this.#wanted.delete(id));
    if (this.#wanted.size) this.#timer = setTimeout(() => void this.#fetchThumbs(), 0);
    try {
      const thumbs = await this.#client.invoke('datasets.thumbnails', { imageIds: ids });
      const next = { ...this.#thumbs };
      for (const t of thumbs) next[t.imageId] = t.dataUrl;
      this.#thumbs = next;
    } catch (err) {
      this.#gridError = errorText(err);
    }
  }
}
