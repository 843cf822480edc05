import type { z } from 'zod';
import { analyzeApparentSize, type ImageSizeCount } from '../../core/apparent-size';
import { fitFrechet, type FrechetFit, type FrechetFitOptions } from '../../core/frechet';
import { parseNumberColumn } from '../../core/number-column';
import type { ApparentSizeRequest, ApparentSizeResult, SizeSource } from '../../shared/api/analysis';
import { userError } from '../../shared/errors';
import type { Db } from '../../store/db';
import { getDataset } from '../../store/datasets';
import { missingRow } from '../missing-row';

/** Image sizes of a stored dataset, counted per size (the data layer's `imageSizes(db, datasetId, split?)`). */
export type ImageSizesOf = (datasetId: number, split?: 'train' | 'val') => ImageSizeCount[];

export type ParsedApparentSizeRequest = z.output<typeof ApparentSizeRequest>;

/**
 * The apparent-size analysis for a request: resolves its image sizes (one W×H, an explicit
 * list, or a stored dataset through `sizesOf`) and runs the closed form and the Monte Carlo.
 */
export function apparentSize(request: ParsedApparentSizeRequest, sizesOf: ImageSizesOf): ApparentSizeResult {
  const sizes = resolveSizes(request.source, sizesOf);
  const images = sizes.reduce((n, s) => n + s.count, 0);
  if (images === 0) throw userError('There are no images to draw sizes from', 'source');
  const settings = {
    kTrain: request.kTrain,
    kTest: request.kTest ?? request.kTrain,
    cropPct: request.cropPct,
    scale: request.scale,
    ratio: request.ratio,
  };
  const result = analyzeApparentSize(settings, sizes, {
    samples: request.samples,
    seed: request.seed,
    bins: request.bins,
    multiple: request.multiple,
  });
  return {
    ...result,
    settings: { ...settings, scale: [...settings.scale], ratio: [...settings.ratio] },
    sizes: { distinct: sizes.filter((s) => s.count > 0).length, images },
  };
}

/** Analyses over the lab's datasets. */
export class AnalysisService {
  readonly #sizesOf: ImageSizesOf;

  /** `sizesOf` reads a dataset's recorded image sizes (the store's `imageSizes`). */
  constructor(db: Db, sizesOf: ImageSizesOf) {
    this.#sizesOf = (id, split) => recordedSizes(db, id, split, sizesOf);
  }

  apparentSize(request: ParsedApparentSizeRequest): ApparentSizeResult {
    return apparentSize(request, this.#sizesOf);
  }
}

function recordedSizes(db: Db, datasetId: number, split: 'train' | 'val' | undefined, sizesOf: ImageSizesOf): ImageSizeCount[] {
  const dataset = getDataset(db, datasetId);
  if (!dataset) throw missingRow(db, 'dataset', datasetId, 'source.datasetId');
  const sizes = sizesOf(datasetId, split);
  if (sizes.length === 0) {
    const which = split ? `${split} images` : 'images';
    throw userError(
      `Dataset "${dataset.name}" has no readable ${which} with recorded sizes (is its scan finished?).`,
      'source.datasetId',
    );
  }
  return sizes;
}

function resolveSizes(source: SizeSource, sizesOf: ImageSizesOf): ImageSizeCount[] {
  if (source.kind === 'size') return [{ width: source.width, height: source.height, count: 1 }];
  if (source.kind === 'sizes') return source.sizes;
  return sizesOf(source.datasetId, source.split);
}

/** Fits a plain column of numbers (`fixres fit-frechet`), with errors that name the offending line. */
export function fitFrechetColumn(text: string, options: FrechetFitOptions): FrechetFit {
  try {
    return fitFrechet(parseNumberColumn(text), options);
  } catch (err) {
    if (err instanceof RangeError) throw userError(err.message);
    throw err;
  }
}
