import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { activeBackend, ensureBackend, startedRungs } from '../../../src/engine/backend/select-backend';

describe('the engine process backend', () => {
  it('switches rungs between jobs, starting each once, and the doctor sees the one in use', async () => {
    const cpu = await ensureBackend('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const wasm = await ensureBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(await activeBackend()).toBe(wasm);
    expect(await ensureBackend('cpu')).toBe(cpu);
    expect(tf.getBackend()).toBe('cpu');
    expect([...startedRungs().keys()]).toEqual(['cpu', 'wasm']);
  });

  it('computes the same on the rung it switched back to (tensors made on another rung move with it)', async () => {
    await ensureBackend('wasm');
    const onWasm = tf.tensor([1, 2, 3]);
    await ensureBackend('cpu');
    expect(Array.from(await tf.mul(onWasm, 2).data())).toEqual([2, 4, 6]);
    onWasm.dispose();
  });

  it('refuses a rung that cannot load with the reason and what to do, and stays on the rung it had', async () => {
    await ensureBackend('cpu');
    // No machine that runs the tests has tfjs-node-gpu with CUDA 11.2 and a GPU.
    await expect(ensureBackend('tensorflow-gpu')).rejects.toThrow(
      /^The forced backend "tensorflow-gpu" is not available: .+; to fix: .+/,
    );
    expect(tf.getBackend()).toBe('cpu');
    expect((await activeBackend()).name).toBe('cpu');
  });
});
