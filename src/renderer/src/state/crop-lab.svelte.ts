import { analyzeApparentSize, type ApparentSizeAnalysis, type ImageSizeCount } from '../../../core/apparent-size';
import type { ImageSummary } from '../../../shared/api/datasets';
import type { LabClient } from '../../../shared/client';
import { errorText } from '../lib/errors';
import { CropSettingsState, type CropControls } from './crop-settings.svelte';

/** An image shown in the Crop Lab: from a dataset (with pixels) or just a typed size. */
export interface CropImage {
  key: string;
  imageId: number | null;
  label: string;
  width: number;
  height: number;
  /** Preview pixels (data URL), once loaded. */
  src: string | null;
}

export interface Patches {
  train: string[];
  test: string;
}

const IMAGE_PAGE = 48;
const MAX_SELECTED = 3;
const PREVIEW_SIDE = 640;
const ANALYSIS = { samples: 20_000, bins: 40, multiple: 8 } as const;

/**
 * The Crop Lab: a dataset's images (or a typed size), the crop controls, the boxes drawn from
 * them instantly, the apparent-size analysis over the dataset's real image sizes, and the
 * K×K patches the network would see (fetched from the lab a moment after the controls settle).
 */
export class CropLabState {
  readonly settings = new CropSettingsState();
  #client: LabClient;
  #patchDelayMs: number;
  #datasetId = $state<number | null>(null);
  #images = $state.raw<ImageSummary[]>([]);
  #thumbs = $state.raw<Record<number, string | null>>({});
  #previews = $state.raw<Record<number, { src: string; width: number; height: number }>>({});
  #selected = $state.raw<number[]>([]);
  #sizes = $state.raw<ImageSizeCount[]>([]);
  #customSize = $state.raw<{ width: number; height: number }>({ width: 500, height: 375 });
  #patches = $state.raw<Record<number, Patches>>({});
  #patchesLoading = $state(false);
  #loading = $state(false);
  #error = $state<string | null>(null);
  #patchError = $state<string | null>(null);
  #patchTimer: ReturnType<typeof setTimeout> | null = null;
  #patchRequest = 0;

  readonly #analysis = $derived.by((): ApparentSizeAnalysis | null => {
    const sizes = this.sizes;
    if (!sizes.length) return null;
    const c = this.settings.controls;
    return analyzeApparentSize(c, sizes, { ...ANALYSIS, seed: c.seed });
  });

  constructor(client: LabClient, options: { patchDelayMs?: number } = {}) {
    this.#client = client;
    this.#patchDelayMs = options.patchDelayMs ?? 200;
  }

  get datasetId(): number | null {
    return this.#datasetId;
  }
  get images(): ImageSummary[] {
    return this.#images;
  }
  thumbnail(imageId: number): string | null {
    return this.#thumbs[imageId] ?? null;
  }
  isSelected(imageId: number): boolean {
    return this.#selected.includes(imageId);
  }
  get loading(): boolean {
    return this.#loading;
  }
  get error(): string | null {
    return this.#error;
  }
  get patchError(): string | null {
    return this.#patchError;
  }
  get patchesLoading(): boolean {
    return this.#patchesLoading;
  }
  get customSize(): { width: number; height: number } {
    return this.#customSize;
  }

  /** The images on show: the selected dataset images, or the typed size when no dataset is chosen. */
  get shown(): CropImage[] {
    if (this.#datasetId === null) {
      const { width, height } = this.#customSize;
      return [{ key: 'custom', imageId: null, label: `${width} × ${height} (typed size)`, width, height, src: null }];
    }
    return this.#selected.flatMap((id) => {
      const image = this.#images.find((i) => i.id === id);
      if (!image?.width || !image.height) return [];
      const preview = this.#previews[id];
      return [
        {
          key: `image-${id}`,
          imageId: id,
          label: image.relPath,
          width: image.width,
          height: image.height,
          src: preview?.src ?? null,
        },
      ];
    });
  }

  /** Image sizes the analysis draws from: the dataset's recorded sizes, or the typed one. */
  get sizes(): ImageSizeCount[] {
    return this.#datasetId === null ? [{ ...this.#customSize, count: 1 }] : this.#sizes;
  }

  get analysis(): ApparentSizeAnalysis | null {
    return this.#analysis;
  }

  patchesFor(imageId: number | null): Patches | null {
    return imageId === null ? null : (this.#patches[imageId] ?? null);
  }

  /** Shows a dataset's images and analyses over its image sizes; null goes back to a typed size. */
  async selectDataset(datasetId: number | null): Promise<void> {
    this.#datasetId = datasetId;
    this.#images = [];
    this.#selected = [];
    this.#sizes = [];
    this.#patches = {};
    this.#error = null;
    if (datasetId === null) return;
    this.#loading = true;
    try {
      const [page, inspection] = await Promise.all([
        this.#client.invoke('datasets.images', { id: datasetId, limit: IMAGE_PAGE }),
        this.#client.invoke('datasets.inspection', { id: datasetId }),
      ]);
      if (this.#datasetId !== datasetId) return;
      this.#images = page.images.filter((i) => i.status === 'ok' && i.width && i.height);
      this.#sizes = inspection.sizes;
      const first = this.#images[0];
      if (first) await this.selectImage(first.id);
      await this.#loadThumbnails(this.#images.map((i) => i.id));
    } catch (err) {
      this.#error = errorText(err);
    } finally {
      this.#loading = false;
    }
  }

  /** Shows one image; with `add`, toggles it next to the others (up to three side by side). */
  async selectImage(imageId: number, add = false): Promise<void> {
    if (add) {
      this.#selected = this.#selected.includes(imageId)
        ? this.#selected.filter((id) => id !== imageId)
        : [...this.#selected, imageId].slice(-MAX_SELECTED);
    } else this.#selected = [imageId];
    this.#schedulePatches(0);
    if (this.#previews[imageId] || !this.#selected.includes(imageId)) return;
    try {
      const p = await this.#client.invoke('datasets.preview', { imageId, maxSide: PREVIEW_SIDE });
      this.#previews = { ...this.#previews, [imageId]: { src: p.dataUrl, width: p.width, height: p.height } };
    } catch (err) {
      this.#error = errorText(err);
    }
  }

  setCustomSize(size: { width?: number; height?: number }): void {
    const side = (v: number | undefined, fallback: number) =>
      v !== undefined && Number.isFinite(v) ? Math.min(100_000, Math.max(1, Math.round(v))) : fallback;
    this.#customSize = { width: side(size.width, this.#customSize.width), height: side(size.height, this.#customSize.height) };
  }

  /** Changes the controls: boxes and analysis follow at once, the patches a moment later. */
  update(patch: Partial<CropControls>): void {
    this.settings.update(patch);
    this.#schedulePatches(this.#patchDelayMs);
  }

  /** Sets K_test to K_test*, where apparent object sizes match (Monte Carlo over this dataset's sizes). */
  useSizeMatchingKTest(): void {
    const k = this.#analysis?.kTestSizesMatch;
    if (k) this.update({ kTest: k });
  }

  dismissError(): void {
    this.#error = null;
  }

  /** Stops pending patch requests (the view is leaving). */
  dispose(): void {
    if (this.#patchTimer) clearTimeout(this.#patchTimer);
    this.#patchTimer = null;
    this.#patchRequest++;
  }

  reset(): void {
    this.dispose();
    this.settings.reset();
    this.#datasetId = null;
    this.#images = [];
    this.#thumbs = {};
    this.#previews = {};
    this.#selected = [];
    this.#sizes = [];
    this.#patches = {};
    this.#error = null;
    this.#patchError = null;
  }

  async #loadThumbnails(ids: number[]): Promise<void> {
    if (!ids.length) return;
    const thumbs = await this.#client.invoke('datasets.thumbnails', { imageIds: ids });
    const next = { ...this.#thumbs };
    for (const t of thumbs) next[t.imageId] = t.dataUrl;
    this.#thumbs = next;
  }

  #schedulePatches(delayMs: number): void {
    if (this.#patchTimer) clearTimeout(this.#patchTimer);
    this.#patchTimer = setTimeout(() => void this.#loadPatches(), delayMs);
  }

  async #loadPatches(): Promise<void> {
    this.#patchTimer = null;
    const request = ++this.#patchRequest;
    const ids = [...this.#selected];
    if (!ids.length) return;
    const c = this.settings.controls;
    this.#patchesLoading = true;
    try {
      const samples = await Promise.all(
        ids.map((imageId) =>
          this.#client.invoke('crops.sample', {
            imageId,
            kTrain: c.kTrain,
            kTest: c.kTest,
            cropPct: c.cropPct,
            scale: c.scale,
            ratio: c.ratio,
            n: c.n,
            seed: c.seed,
            patches: true,
          }),
        ),
      );
      if (request !== this.#patchRequest) return;
      const next: Record<number, Patches> = {};
      samples.forEach((s, i) => s.patches && (next[ids[i]!] = s.patches));
      this.#patches = next;
      this.#patchError = null;
    } catch (err) {
      if (request === this.#patchRequest) this.#patchError = errorText(err);
    } finally {
      if (request === this.#patchRequest) this.#patchesLoading = false;
    }
  }
}
