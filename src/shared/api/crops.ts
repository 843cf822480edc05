import { z } from 'zod';
import { endpoint } from './endpoint';
import { ImageId } from './datasets';

const Side = z.number().int().min(1, 'must be at least 1').max(4096, 'must be at most 4096');
const Range = (what: string, min: number, max: number) =>
  z
    .tuple([z.number().gt(min, `${what} must be > ${min}`).max(max), z.number().gt(min, `${what} must be > ${min}`).max(max)])
    .refine(([a, b]) => a <= b, `${what} minimum must not exceed its maximum`);

/** Train crop (RandomResizedCrop) and test crop (Resize + CenterCrop) settings, torchvision defaults. */
export const CropSettings = z.object({
  kTrain: Side.default(224),
  kTest: Side.default(224),
  cropPct: z.number().gt(0, 'crop_pct must be > 0').max(1, 'crop_pct must be ≤ 1').default(0.875),
  scale: Range('scale', 0, 1).default([0.08, 1]),
  ratio: Range('ratio', 0, 100).default([3 / 4, 4 / 3]),
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
      width: Side.optional(),
      height: Side.optional(),
      n: z.number().int().min(1).max(256).default(8),
      seed: z
        .number()
        .int()
        .min(0)
        .max(2 ** 32 - 1)
        .default(0),
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
