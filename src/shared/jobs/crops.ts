import { z } from 'zod';
import { Interpolation } from './data-spec';

const Rect = z
  .object({ x: z.number().finite(), y: z.number().finite(), w: z.number().finite(), h: z.number().finite() })
  .strict();

/** Render the K × K patches a network would see for given train boxes and the test transform of one image. */
export const CropPatchesInput = z
  .object({
    root: z.string().min(1),
    relPath: z.string().min(1),
    kTrain: z.number().int().positive(),
    kTest: z.number().int().positive(),
    cropPct: z.number().gt(0).max(1),
    trainBoxes: z.array(Rect),
    interpolation: Interpolation,
  })
  .strict();
export type CropPatchesInput = z.infer<typeof CropPatchesInput>;

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
