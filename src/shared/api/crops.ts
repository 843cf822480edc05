import { z } from 'zod';
import { endpoint } from './endpoint';
import { ImageId } from './datasets';
import { Resolution } from '../hparams/fields';
import { HParams } from '../hparams/train';

/** Train crop (RandomResizedCrop) and test crop (Resize + CenterCrop) settings, torchvision defaults. */
export const CropSettings = HParams.pick({ cropPct: true, scale: true, ratio: true }).extend({
  kTrain: Resolution.default(224),
  kTest: Resolution.default(224),
});
export type CropSettings = z.output<typeof CropSettings>;

const Box = z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() });

export const CropSample = z.object({
  width: z.number().int(),
  height: z.number().int(),
  /** Train boxes in image pixels, with s_train = K_train / sqrt(w·h) and whether torchvision's fallback was used. */
  train: z.array(Box.extend({ fallback: z.boolean(), scale: z.number() })),
  /** The test crop mapped onto the image, the resized size, and s_test. */
  test: z.object({ box: Box, resizedWidth: z.number().int(), resizedHeight: z.number().int(), scale: z.number() }),
  /** The K × K patches the network would see (PNG data URLs), when asked for and an image was given. */
  patches: z.object({ train: z.array(z.string()), test: z.string() }).nullable(),
});
export type CropSample = z.infer<typeof CropSample>;

export const cropsApi = {
  /** N seeded train boxes and the test box for an image (by id) or just a size; optionally the patches. */
  'crops.sample': endpoint(
    CropSettings.extend({
      imageId: ImageId.optional(),
      width: Resolution.optional(),
      height: Resolution.optional(),
      n: z.number().int().min(1).max(256).default(8),
      seed: HParams.shape.seed,
      patches: z.boolean().default(false),
    })
      .strict()
      .refine((r) => r.imageId !== undefined || (r.width !== undefined && r.height !== undefined), {
        message: 'Give an imageId, or a width and a height',
        path: ['imageId'],
      }),
    CropSample,
  ),
};
