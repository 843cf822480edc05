import { sampleCropPreview } from '../../core/crop-preview';
import type { CropSample } from '../../shared/api/crops';
import type { ParsedRequestOf } from '../../shared/contract';
import { userError } from '../../shared/errors';
import type { DatasetImageService } from './dataset-images';
import type { EngineHost } from '../engine';

/**
 * The crop sampler behind Crop Lab previews and `fixres crops`: boxes come from the pure core
 * sampler (same code the training pipeline uses); patches, when asked for, are rendered by the engine.
 */
export class CropService {
  #images: DatasetImageService;
  #engine: EngineHost;

  constructor(images: DatasetImageService, engine: EngineHost) {
    this.#images = images;
    this.#engine = engine;
  }

  async sample(request: ParsedRequestOf<'crops.sample'>): Promise<CropSample> {
    let width = request.width;
    let height = request.height;
    let source: { root: string; relPath: string } | null = null;
    if (request.imageId !== undefined) {
      const { image, root } = this.#images.image(request.imageId);
      if (image.status !== 'ok' || !image.width || !image.height) {
        throw userError(`Image ${image.rel_path} cannot be used: ${image.error ?? 'not inspected yet (rescan)'}`, 'imageId');
      }
      width = image.width;
      height = image.height;
      source = { root, relPath: image.rel_path };
    }
    const preview = sampleCropPreview(width!, height!, request, request.n, request.seed);
    let patches: CropSample['patches'] = null;
    if (request.patches && source) {
      const out = await this.#engine.run('crops', {
        ...source,
        kTrain: request.kTrain,
        kTest: request.kTest,
        cropPct: request.cropPct,
        trainBoxes: preview.train.map(({ x, y, w, h }) => ({ x, y, w, h })),
        interpolation: 'bilinear',
      });
      patches = { train: out.train.map(pngDataUrl), test: pngDataUrl(out.test) };
    }
    return { width: width!, height: height!, ...preview, patches };
  }
}

function pngDataUrl(bytes: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`;
}
