import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The formats the reference script writes. */
export const TORCH_FORMATS = ['safetensors', 'pth', 'fixres'] as const;
export type TorchFormat = (typeof TORCH_FORMATS)[number];

/**
 * A seeded torchvision model (1000 classes) saved by PyTorch itself as safetensors, a .pth and a
 * FixRes-style checkpoint, made once by Debian's python3-torch into bench/results/import-weights/.
 */
export function torchWeightsFiles(arch: string): Record<TorchFormat, string> {
  const cache = resolve(here, 'results/import-weights');
  mkdirSync(cache, { recursive: true });
  const files = Object.fromEntries(
    TORCH_FORMATS.map((f) => [f, join(cache, `${arch}-${f}${f === 'safetensors' ? '.safetensors' : '.pth'}`)]),
  ) as Record<TorchFormat, string>;
  if (TORCH_FORMATS.every((f) => existsSync(files[f]))) return files;
  const script = resolve(here, '../test/fixtures/reference/torchvision_resnet.py');
  const input = {
    dir: cache,
    arch,
    seed: 1,
    numClasses: 1000,
    images: [],
    sizes: [],
    cropPct: 0.875,
    formats: TORCH_FORMATS,
    calibration: 1,
  };
  execFileSync(process.env.FIXRES_REFERENCE_PYTHON ?? '/usr/bin/python3', [script], {
    input: JSON.stringify(input),
    maxBuffer: 1 << 26,
  });
  return files;
}
