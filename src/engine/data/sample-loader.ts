import { realpath } from 'node:fs/promises';
import { planSample } from '../../core/sample-plan';
import { sampleStream } from '../../core/epoch-order';
import type { DataSpec } from '../../shared/jobs/data-spec';
import { userError } from '../../shared/errors';
import { decodeImageFile, UnusableImageError } from './decode-image';
import { normalisationTable, normaliseInto } from './pixels/colour';
import { renderSample } from './pixels/render-sample';
import { resolveInsideRoot } from './safe-path';

/**
 * Produces one normalised sample: decode the item's file, plan its transform from
 * (seed, epoch, index), render the K × K patch and write it into a batch buffer.
 */
export class SampleLoader {
  readonly #spec: DataSpec;
  readonly #table: Float32Array;
  #realRoot: string | null = null;

  constructor(spec: DataSpec) {
    this.#spec = spec;
    this.#table = normalisationTable(spec.normalize.mean, spec.normalize.std);
  }

  /** Checks the dataset folder exists; call once before loading. */
  async open(): Promise<void> {
    this.#realRoot = await realpath(this.#spec.root).catch(() => {
      throw userError(`Dataset folder not found: ${this.#spec.root}`, 'root');
    });
  }

  /** Writes item `index`'s sample for `epoch` into `out` at `offset` (k·k·3 floats). */
  async loadInto(out: Float32Array, offset: number, index: number, epoch: number): Promise<void> {
    const { relPath } = this.#spec.items[index]!;
    const file = await resolveInsideRoot(this.#spec.root, relPath, this.#realRoot ?? undefined);
    const image = await decodeImageFile(file).catch((err: unknown) => {
      if (err instanceof UnusableImageError) throw userError(`Cannot use image ${relPath}: ${err.message}`);
      throw err;
    });
    const { transform, seed } = this.#spec;
    const plan = planSample(image.width, image.height, transform, sampleStream(seed, epoch, index));
    const patch = renderSample(image, plan, transform.interpolation);
    normaliseInto(out, offset, patch, this.#table);
  }
}
