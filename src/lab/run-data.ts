import { streamFor } from '../core/rng';
import { IMAGENET_NORMALIZE, type DataItem, type DataSpec, type TransformSpec } from '../shared/jobs/data-spec';
import type { FrozenRunConfig } from '../shared/api/runs';
import type { ImageForRun } from '../store/run-images';

export interface RunData {
  classNames: string[];
  train: DataItem[];
  val: DataItem[];
}

/** Tag that keeps the hold-out stream apart from every other use of the run seed. */
const HOLDOUT_STREAM = 0x686f6c64;

/**
 * Splits a dataset's images into train and validation items: its own val/ folder when it has
 * one, else a seeded, per-class hold-out of `valFraction` (at least one image of every class
 * with two or more, never all of a class).
 */
export function splitRunData(images: readonly ImageForRun[], options: { valFraction: number; seed: number }): RunData {
  const classNames = [...new Set(images.map((i) => i.class_name))].sort();
  const label = new Map(classNames.map((name, i) => [name, i]));
  const item = (i: ImageForRun): DataItem => ({ relPath: i.rel_path, label: label.get(i.class_name)! });
  if (images.some((i) => i.split === 'val')) {
    return {
      classNames,
      train: images.filter((i) => i.split !== 'val').map(item),
      val: images.filter((i) => i.split === 'val').map(item),
    };
  }
  const data: RunData = { classNames, train: [], val: [] };
  classNames.forEach((name, c) => {
    const members = images.filter((i) => i.class_name === name);
    const wanted = options.valFraction > 0 && members.length >= 2 ? Math.round(members.length * options.valFraction) : 0;
    const held = Math.min(members.length - 1, Math.max(options.valFraction > 0 && members.length >= 2 ? 1 : 0, wanted));
    const order = streamFor(options.seed, HOLDOUT_STREAM, c).shuffle(members.map((_, i) => i));
    const isVal = new Set(order.slice(0, held));
    members.forEach((m, i) => (isVal.has(i) ? data.val : data.train).push(item(m)));
  });
  return data;
}

/** The DataSpecs of a run: its training transform at K_train, and the test transform at K_test. */
export function runDataSpecs(root: string, data: RunData, cfg: FrozenRunConfig): { train: DataSpec; val: DataSpec | null } {
  const base = { root, classNames: data.classNames, normalize: IMAGENET_NORMALIZE, seed: cfg.seed };
  const test: TransformSpec = { kind: 'test', k: cfg.kTest, cropPct: cfg.cropPct, interpolation: cfg.interpolation };
  return {
    train: { ...base, items: data.train, transform: trainTransform(cfg) },
    val: data.val.length ? { ...base, items: data.val, transform: test } : null,
  };
}

function trainTransform(cfg: FrozenRunConfig): TransformSpec {
  const { kTrain: k, interpolation } = cfg;
  if (cfg.augment === 'da1') return { kind: 'test', k, cropPct: cfg.cropPct, interpolation };
  if (cfg.augment === 'da2') return { kind: 'da2', k, cropPct: cfg.cropPct, maxShift: 1, jitter: cfg.jitter, interpolation };
  return { kind: 'train', k, scale: cfg.scale, ratio: cfg.ratio, hflip: cfg.hflip, jitter: cfg.jitter, interpolation };
}
