import { readFile } from 'node:fs/promises';
import { aspectHistogram, sizeScatter } from '../../core/dataset-stats';
import type { DatasetProblem, ImageSummary, Inspection } from '../../shared/api/datasets';
import { userError } from '../../shared/errors';
import type { Db } from '../../store/db';
import * as store from '../../store/datasets';
import { getImage, imageSizes, listImages, type ImagePageOptions, type ImageRow } from '../../store/images';
import * as inspection from '../../store/inspection';
import type { EngineHost } from '../engine';
import { THUMB_SIDE } from './dataset-scan';
import { problemList } from './problem-list';
import { tinyRuleOf } from './tiny-rule';
import type { ThumbnailCache } from './thumbnail-cache';
import { missingRow } from '../missing-row';

/** How many problem rows one inspection reply lists (totals are always exact). */
const PROBLEM_LIMIT = 200;

export interface DatasetImageOptions {
  db: Db;
  engine: EngineHost;
  thumbnails: ThumbnailCache;
}

/**
 * What the Datasets view shows about the images: the inspection, pages of images, thumbnails
 * and previews. The renderer names images by id only; files are read by the engine, which
 * refuses anything outside the dataset's root.
 */
export class DatasetImageService {
  #db: Db;
  #engine: EngineHost;
  #thumbnails: ThumbnailCache;

  constructor(options: DatasetImageOptions) {
    this.#db = options.db;
    this.#engine = options.engine;
    this.#thumbnails = options.thumbnails;
  }

  /** What the Sizes and Problems tabs show; tiny images are judged against `k` (default: tinyRuleOf's). */
  inspection(datasetId: number, k?: number): Inspection {
    this.#dataset(datasetId);
    const tiny = tinyRuleOf(this.#db, datasetId, k);
    const sizes = imageSizes(this.#db, datasetId);
    const limit = PROBLEM_LIMIT;
    const duplicates = inspection.duplicateGroups(this.#db, datasetId, limit);
    return {
      datasetId,
      formats: inspection.formatCounts(this.#db, datasetId),
      sizes: sizeScatter(sizes),
      aspectRatios: aspectHistogram(sizes),
      unreadable: inspection.unreadableImages(this.#db, datasetId, limit),
      duplicates: { total: duplicates.total, items: duplicates.items },
      tiny: inspection.tinyImages(this.#db, datasetId, limit, tiny.side),
      tinySide: tiny.side,
      tinyBasis: tiny.basis,
      skipped: inspection.skippedFiles(this.#db, datasetId, limit),
      channelStats: inspection.channelStatistics(this.#db, datasetId),
    };
  }

  /** Every problem file of a dataset (the CLI's and the API's full list). */
  problems(datasetId: number, k?: number): DatasetProblem[] {
    this.#dataset(datasetId);
    return problemList(this.#db, datasetId, tinyRuleOf(this.#db, datasetId, k));
  }

  images(datasetId: number, options: ImagePageOptions): { total: number; images: ImageSummary[] } {
    this.#dataset(datasetId);
    const { total, rows } = listImages(this.#db, datasetId, options);
    return {
      total,
      images: rows.map((r) => ({
        id: r.id,
        relPath: r.rel_path,
        className: r.class_name,
        split: r.split,
        status: r.status,
        error: r.error,
        width: r.width,
        height: r.height,
        format: r.format,
      })),
    };
  }

  /** Cached WebP thumbnails as data URLs; a missing cache file is rendered again by the engine. */
  async thumbnails(imageIds: number[]): Promise<{ imageId: number; dataUrl: string | null; error: string | null }[]> {
    return Promise.all(
      imageIds.map(async (imageId) => {
        try {
          return { imageId, dataUrl: await this.#thumbnail(imageId), error: null };
        } catch (err) {
          return { imageId, dataUrl: null, error: (err as Error).message };
        }
      }),
    );
  }

  async preview(imageId: number, maxSide: number): Promise<{ dataUrl: string; width: number; height: number }> {
    const { image, root } = this.image(imageId);
    const out = await this.#engine.run('thumbnail', { root, relPath: image.rel_path, maxSide });
    return { dataUrl: webpDataUrl(out.bytes), width: out.width, height: out.height };
  }

  /** An image row and its dataset root, or a user error. */
  image(imageId: number): { image: ImageRow; root: string } {
    const image = getImage(this.#db, imageId);
    if (!image) throw userError(`No image with id ${imageId}`, 'imageId', 'NotFound');
    return { image, root: this.#dataset(image.dataset_id).root };
  }

  async #thumbnail(imageId: number): Promise<string> {
    const { image, root } = this.image(imageId);
    if (image.status === 'unreadable') throw userError(image.error ?? 'unreadable image');
    if (image.hash) {
      const file = this.#thumbnails.fileOf(image.hash);
      const cached = await readFile(file).catch(() => null);
      if (cached) {
        void this.#thumbnails.used(image.hash);
        return webpDataUrl(cached);
      }
      await this.#engine.run('thumbnail', { root, relPath: image.rel_path, maxSide: THUMB_SIDE, outFile: file });
      const written = await readFile(file);
      await this.#thumbnails.added([image.hash]);
      return webpDataUrl(written);
    }
    const out = await this.#engine.run('thumbnail', { root, relPath: image.rel_path, maxSide: THUMB_SIDE });
    return webpDataUrl(out.bytes);
  }

  #dataset(id: number): store.DatasetRow {
    const row = store.getDataset(this.#db, id);
    if (!row) throw missingRow(this.#db, 'dataset', id, 'id');
    return row;
  }
}

function webpDataUrl(bytes: Uint8Array): string {
  return `data:image/webp;base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`;
}
