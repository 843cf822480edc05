import type { SamplePlan } from '../../../core/sample-plan';
import type { Interpolation } from '../../../shared/jobs/data-spec';
import { applyColourJitter, flipHorizontal } from './colour';
import { resizeRgb, type FractionalBox } from './resample';
import type { RgbImage } from './rgb-image';

/**
 * Turns a plan into its K × K 8-bit patch: read the region, resize with antialiasing, keep the
 * window, flip, jitter (the order of torchvision's RandomResizedCrop → flip → ColorJitter).
 * `scale` maps plan coordinates (original image) onto `image` when it is a downscaled cache copy.
 */
export function renderSample(
  image: RgbImage,
  plan: SamplePlan,
  interpolation: Interpolation,
  scale?: { x: number; y: number },
): Uint8Array {
  const { region, window } = plan;
  let patch: Uint8Array;
  if (!scale) {
    patch = resizeRgb({
      src: image,
      view: region,
      outWidth: plan.outWidth,
      outHeight: plan.outHeight,
      window,
      filter: interpolation,
    });
  } else {
    // Read only the cached pixels under the box, as a crop before the resize would.
    const x0 = region.x * scale.x;
    const y0 = region.y * scale.y;
    const x1 = Math.min(image.width, (region.x + region.w) * scale.x);
    const y1 = Math.min(image.height, (region.y + region.h) * scale.y);
    const view = { x: Math.floor(x0), y: Math.floor(y0), w: 0, h: 0 };
    view.w = Math.max(1, Math.ceil(x1) - view.x);
    view.h = Math.max(1, Math.ceil(y1) - view.y);
    const box: FractionalBox = { x0: x0 - view.x, y0: y0 - view.y, x1: x1 - view.x, y1: y1 - view.y };
    patch = resizeRgb({
      src: image,
      view,
      box,
      outWidth: plan.outWidth,
      outHeight: plan.outHeight,
      window,
      filter: interpolation,
    });
  }
  if (plan.flip) flipHorizontal(patch, window.w, window.h);
  if (plan.jitter) applyColourJitter(patch, plan.jitter);
  return patch;
}
