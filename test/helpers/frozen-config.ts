import { freezeRunConfig } from '../../src/lab/runs/run-config';
import { RunConfig, type FrozenRunConfig, type RunConfigInput } from '../../src/shared/api/runs';
import { IMAGENET_NORMALIZE, type DataSpec } from '../../src/shared/jobs/data-spec';

/**
 * A run configuration frozen as the lab stores it (defaults resolved by `freezeRunConfig` itself),
 * for tests that insert runs without a scanned dataset: `images` training and validation images.
 */
export function frozenRunConfig(
  input: Partial<RunConfigInput> = {},
  options: { isFineTune?: boolean; trainImages?: number; valImages?: number } = {},
): FrozenRunConfig {
  const items = (n: number) => Array.from({ length: n }, (_, i) => ({ relPath: `img-${i}.png`, label: 0 }));
  const spec = (n: number) => ({ normalize: IMAGENET_NORMALIZE, items: items(n) }) as unknown as DataSpec;
  return freezeRunConfig(RunConfig.parse({ datasetId: 1, ...input }), {
    isFineTune: options.isFineTune ?? false,
    specs: { train: spec(options.trainImages ?? 8), val: options.valImages === 0 ? null : spec(options.valImages ?? 2) },
  });
}
