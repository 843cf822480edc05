import * as tf from '@tensorflow/tfjs-core';
import { ensureBackend } from '../../src/engine/backend/select-backend';

/**
 * The backend for engine tests: FIXRES_TEST_BACKEND (default cpu). wasm can train convnets only
 * once the backend engineer's gradient kernels are registered.
 */
export async function useTestBackend(): Promise<string> {
  const name = (process.env.FIXRES_TEST_BACKEND ?? 'cpu') as 'cpu' | 'wasm';
  const report = await ensureBackend(name);
  return report.name;
}

/** Number of live tensors, for leak assertions. */
export function liveTensors(): number {
  return tf.memory().numTensors;
}
