import type { Interpolation } from './data-spec';

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Render the K × K patches a network would see for given train boxes and the test transform of one image. */
export interface CropPatchesInput {
  root: string;
  relPath: string;
  kTrain: number;
  kTest: number;
  cropPct: number;
  trainBoxes: Rect[];
  interpolation: Interpolation;
}

export interface CropPatchesResult {
  /** PNG bytes per train box, then the test patch. */
  train: Uint8Array[];
  test: Uint8Array;
}

export interface CropsJob {
  input: CropPatchesInput;
  progress: never;
  result: CropPatchesResult;
}
