import { sampleTrainCrop, testTransform, type Box, type TrainCrop } from './crops';
import { Rng } from './rng';

export interface CropPreviewSettings {
  kTrain: number;
  kTest: number;
  cropPct: number;
  scale: readonly [number, number];
  ratio: readonly [number, number];
}

export interface CropPreview {
  train: (TrainCrop & { scale: number })[];
  test: { box: Box; resizedWidth: number; resizedHeight: number; scale: number };
}

/**
 * `n` train boxes drawn in sequence from Rng.fromSeed(seed) (as torch.manual_seed then n calls
 * of get_params would), each with its s_train = K_train / sqrt(w·h), plus the test crop and s_test.
 */
export function sampleCropPreview(
  width: number,
  height: number,
  settings: CropPreviewSettings,
  n: number,
  seed: number,
): CropPreview {
  const rng = Rng.fromSeed(seed);
  const train = Array.from({ length: n }, () => {
    const box = sampleTrainCrop(width, height, settings, rng);
    return { ...box, scale: settings.kTrain / Math.sqrt(box.w * box.h) };
  });
  const t = testTransform(width, height, settings.kTest, settings.cropPct);
  return { train, test: { box: t.cropInImage, resizedWidth: t.resizedWidth, resizedHeight: t.resizedHeight, scale: t.scale } };
}
