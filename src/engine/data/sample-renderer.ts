import { realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { resizeShorterSide } from '../../core/crops';
import { sampleStream } from '../../core/epoch-order';
import { planSample } from '../../core/sample-plan';
import { userError } from '../../shared/errors';
import type { DataSpec } from '../../shared/jobs/data-spec';
import { copyFolderName, copyShortSide, type CacheOptions } from './cache/cache-options';
import { DecodedCache, type CachedImage } from './cache/decoded-cache';
import { decodeImageFile, UnusableImageError } from './decode-image';
import { normalisationTable, normaliseInto } from './pixels/colour';
import { renderSample } from './pixels/render-sample';
import { resizeRgb } from './pixels/resample';
import type { RgbImage } from './pixels/rgb-image';
import { resolveInsideRoot } from './safe-path';

/**
 * Produces one normalised sample: get the item's pixels (decode, or the cached copy), plan its
 * transform from (seed, epoch, index), render the K × K patch and write it into a batch buffer.
 */
export class SampleRenderer {
  readonly #spec: DataSpec;
  readonly #table: Float32Array;
  readonly #cacheOptions: CacheOptions | null;
  readonly #cache: DecodedCache | null;
  #realRoot: string | null = null;
  /** Cache key per item, found once: later epochs skip the realpath and stat of a cached image. */
  #keys = new Map<number, string>();

  constructor(spec: DataSpec, cache: CacheOptions | null) {
    this.#spec = spec;
    this.#table = normalisationTable(spec.normalize.mean, spec.normalize.std);
    this.#cacheOptions = cache;
    this.#cache =
      cache &&
      new DecodedCache({
        budgetBytes: cache.budgetBytes,
        dir: cache.dir && join(cache.dir, `${copyFolderName(cache.copy)}-${spec.transform.interpolation}`),
      });
  }

  /** Checks the dataset folder exists; call once before rendering. */
  async open(): Promise<void> {
    this.#realRoot = await realpath(this.#spec.root).catch(() => {
      throw userError(`Dataset folder not found: ${this.#spec.root}`, 'root', 'NotFound');
    });
  }

  /** Writes item `index`'s sample for `epoch` into `out` at `offset` (k·k·3 floats). */
  async renderInto(out: Float32Array, offset: number, index: number, epoch: number): Promise<void> {
    const { transform, seed } = this.#spec;
    const source = await this.#pixels(index);
    const plan = planSample(source.originalWidth, source.originalHeight, transform, sampleStream(seed, epoch, index));
    const scale = this.#cache
      ? { x: source.image.width / source.originalWidth, y: source.image.height / source.originalHeight }
      : undefined;
    normaliseInto(out, offset, renderSample(source.image, plan, transform.interpolation, scale), this.#table);
  }

  async #pixels(index: number): Promise<CachedImage> {
    const { relPath } = this.#spec.items[index]!;
    const known = this.#keys.get(index);
    const hit = known && (await this.#cache?.get(known));
    if (hit) return hit;
    const file = await resolveInsideRoot(this.#spec.root, relPath, this.#realRoot ?? undefined);
    if (!this.#cache) {
      const image = await this.#decode(file, relPath);
      return { image, originalWidth: image.width, originalHeight: image.height };
    }
    const info = await stat(file);
    const key = `${file}|${info.size}|${info.mtimeMs}`;
    this.#keys.set(index, key);
    const stored = await this.#cache.get(key);
    if (stored) return stored;
    const full = await this.#decode(file, relPath);
    const entry = { image: this.#shrink(full), originalWidth: full.width, originalHeight: full.height };
    await this.#cache.put(key, entry);
    return entry;
  }

  /** The cached copy: shorter side per the cache's rule, resized exactly as the test transform's Resize would. */
  #shrink(full: RgbImage): RgbImage {
    const side = copyShortSide(this.#cacheOptions!.copy, full.width, full.height);
    if (Math.min(full.width, full.height) <= side) return full;
    const [width, height] = resizeShorterSide(full.width, full.height, side);
    const window = { x: 0, y: 0, w: width, h: height };
    const view = { x: 0, y: 0, w: full.width, h: full.height };
    const data = resizeRgb({
      src: full,
      view,
      outWidth: width,
      outHeight: height,
      window,
      filter: this.#spec.transform.interpolation,
    });
    return { data, width, height };
  }

  async #decode(file: string, relPath: string): Promise<RgbImage> {
    return decodeImageFile(file).catch((err: unknown) => {
      if (err instanceof UnusableImageError) throw userError(`Cannot use image ${relPath}: ${err.message}`);
      throw err;
    });
  }
}
