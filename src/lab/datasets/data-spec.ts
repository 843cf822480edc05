import type { DataSpec, TransformSpec } from '../../shared/jobs/data-spec';
import { IMAGENET_NORMALIZE } from '../../shared/jobs/data-spec';
import { userError } from '../../shared/errors';
import type { Db } from '../../store/db';
import { getDataset } from '../../store/datasets';
import { usableImages } from '../../store/images';
import { channelStatistics } from '../../store/inspection';
import { missingRow } from '../missing-row';

export interface DataSpecOptions {
  split?: 'train' | 'val';
  transform: TransformSpec;
  seed: number;
  /** ImageNet's mean/std, the dataset's own (from its train images), or explicit values. */
  normalize?: 'imagenet' | 'dataset' | DataSpec['normalize'];
  shuffle?: boolean;
}

/**
 * The DataSpec for one split of a scanned dataset: usable images only, labels indexed into the
 * class names of the whole dataset (sorted), so train and val agree on what label 3 means.
 */
export function buildDataSpec(db: Db, datasetId: number, options: DataSpecOptions): DataSpec {
  const dataset = getDataset(db, datasetId);
  if (!dataset) throw missingRow(db, 'dataset', datasetId, 'datasetId');
  if (dataset.status !== 'ready')
    throw userError(`Dataset ${dataset.name} is ${dataset.status}; wait for its scan`, 'datasetId', 'Conflict');
  const all = usableImages(db, datasetId);
  const classNames = [...new Set(all.map((i) => i.className))].sort();
  const label = new Map(classNames.map((name, i) => [name, i]));
  const images = options.split ? usableImages(db, datasetId, options.split) : all;
  if (!images.length)
    throw userError(`Dataset ${dataset.name} has no usable ${options.split ?? ''} images`.replace('  ', ' '), 'datasetId');
  return {
    root: dataset.root,
    classNames,
    items: images.map((i) => ({ relPath: i.relPath, label: label.get(i.className)! })),
    transform: options.transform,
    normalize: resolveNormalize(db, datasetId, options.normalize ?? 'imagenet'),
    seed: options.seed,
    ...(options.shuffle === undefined ? {} : { shuffle: options.shuffle }),
  };
}

function resolveNormalize(db: Db, datasetId: number, choice: NonNullable<DataSpecOptions['normalize']>): DataSpec['normalize'] {
  if (choice === 'imagenet') return IMAGENET_NORMALIZE;
  if (choice !== 'dataset') return choice;
  const stats = channelStatistics(db, datasetId, 'train') ?? channelStatistics(db, datasetId);
  if (!stats) throw userError('No pixel statistics yet: rescan the dataset', 'normalize');
  return { mean: stats.mean as [number, number, number], std: stats.std as [number, number, number] };
}
