import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WeightTensor } from '../../../src/engine/weights/weight-tensor';

const DIR = fileURLToPath(new URL('../../fixtures/weights/', import.meta.url));

/** A committed weights file made by test/fixtures/reference/torch_weights.py. */
export function weightsFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(DIR + name));
}

interface Expected {
  state: Record<string, { shape: number[]; values: number[] }>;
}

/** What PyTorch itself read from those files (torch.load(...).float().flatten()), by key. */
export const EXPECTED: Expected['state'] = (JSON.parse(readFileSync(DIR + 'expected.json', 'utf8')) as Expected).state;

/** Float32 rounding of PyTorch's float values, for exact comparisons. */
export function asFloat32(values: number[]): number[] {
  return Array.from(Float32Array.from(values));
}

/** The shape and values of a WeightTensor, plain. */
export function plain(t: WeightTensor | undefined): { shape: number[]; values: number[] } | undefined {
  return t && { shape: t.shape, values: Array.from(t.data) };
}
