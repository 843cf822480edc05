import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultWasmThreads, selectBackend } from '../../../src/engine/backend/select-backend';
import { wasmThreadsFromEnv } from '../../../src/engine/backend/wasm/init-wasm';
import { fakeProbes, removeFakeTensorflow } from './fake-probes';

const GPU = '@tensorflow/tfjs-node-gpu';
const NODE = '@tensorflow/tfjs-node';
const CUDA_11 = ['/usr/local/cuda-11.2/lib64/libcudart.so.11.0', '/usr/lib/x86_64-linux-gnu/libcudnn.so.8'];

afterEach(removeFakeTensorflow);

describe('backend ladder', () => {
  it('uses TensorFlow on the GPU when the package, CUDA 11.2 and a device are there, naming the GPU', async () => {
    const probes = fakeProbes({
      installed: [GPU],
      addon: { [GPU]: { gpu: true } },
      ldconfig: CUDA_11,
      nvidiaGpus: ['NVIDIA RTX A4000'],
    });
    const report = await selectBackend({ probes });
    expect(report).toMatchObject({
      name: 'tensorflow-gpu',
      tfBackend: 'tensorflow',
      gpu: 'NVIDIA RTX A4000',
      skipped: [],
      forced: false,
    });
    expect(tf.getBackend()).toBe('tensorflow');
  });

  it('skips the GPU rung without loading it when libcudart.so.11.0 is missing, then uses tfjs-node', async () => {
    const probes = fakeProbes({ installed: [GPU, NODE], addon: { [NODE]: { gpu: false } }, nvidiaGpus: ['Tesla T4'] });
    const report = await selectBackend({ probes });
    expect(report.name).toBe('tensorflow');
    expect(report.gpu).toBeNull();
    expect(report.skipped).toEqual([
      { name: 'tensorflow-gpu', reason: expect.stringMatching(/libcudart\.so\.11\.0 .* not found/) },
    ]);
    expect(probes.loaded).toEqual([NODE]);
  });

  it('reports CUDA 12 without 11.2 as the reason instead of claiming a GPU', async () => {
    const probes = fakeProbes({
      installed: [GPU, NODE],
      addon: { [GPU]: { gpu: false }, [NODE]: { gpu: false } },
      ldconfig: ['/usr/local/cuda-12.2/lib64/libcudart.so.12', '/usr/lib/x86_64-linux-gnu/libcudnn.so.8'],
    });
    const report = await selectBackend({ probes });
    expect(report.name).toBe('tensorflow');
    expect(report.skipped[0]!.reason).toMatch(/found libcudart\.so\.12 but not libcudart\.so\.11\.0.*silently runs on the CPU/);
    expect(probes.loaded).not.toContain(GPU);
  });

  it('passes on the native addon error message when the package fails to load', async () => {
    const probes = fakeProbes({
      installed: [GPU, NODE],
      addon: {
        [GPU]: {
          throws: 'libtensorflow.so.2: cannot open shared object file: No such file or directory\n    at Module._extensions',
        },
        [NODE]: { throws: "Cannot find module '/x/lib/napi-v8/tfjs_binding.node'" },
      },
      ldconfig: CUDA_11,
    });
    const report = await selectBackend({ probes, wasmThreads: 1 });
    // wasm is real here: the ladder ends on it.
    expect(report).toMatchObject({
      name: 'wasm',
      skipped: [
        {
          name: 'tensorflow-gpu',
          reason: `${GPU} failed to load: libtensorflow.so.2: cannot open shared object file: No such file or directory`,
        },
        { name: 'tensorflow', reason: `${NODE} failed to load: Cannot find module '/x/lib/napi-v8/tfjs_binding.node'` },
      ],
    });
  });

  it('falls back to tfjs-node-gpu on the CPU, saying so, when TensorFlow sees no CUDA device', async () => {
    const probes = fakeProbes({ installed: [GPU, NODE], addon: { [GPU]: { gpu: false } }, ldconfig: CUDA_11 });
    const report = await selectBackend({ probes });
    expect(report.name).toBe('tensorflow');
    expect(report.skipped[0]!.reason).toMatch(/found no usable CUDA device/);
    expect(report.notes).toEqual([`running ${GPU} on the CPU`]);
    expect(probes.loaded).toEqual([GPU]);
  });

  it('skips the GPU rung when nvidia-smi lists no GPU', async () => {
    const probes = fakeProbes({ installed: [GPU], ldconfig: CUDA_11, nvidiaGpus: [] });
    const report = await selectBackend({ probes, wasmThreads: 1 });
    expect(report.skipped).toContainEqual({ name: 'tensorflow-gpu', reason: 'nvidia-smi lists no GPU' });
  });

  it('says macOS has no CUDA', async () => {
    const report = await selectBackend({ probes: fakeProbes({ platform: 'darwin', installed: [GPU] }), wasmThreads: 1 });
    expect(report.skipped[0]).toEqual({ name: 'tensorflow-gpu', reason: `${GPU} needs CUDA, which darwin does not have` });
  });

  it('marks a forced rung as forced and tries no other', async () => {
    const probes = fakeProbes({ installed: [GPU, NODE] });
    const report = await selectBackend({ probes, force: 'cpu' });
    expect(report).toMatchObject({ name: 'cpu', forced: true, skipped: [], threads: 1 });
    expect(probes.loaded).toEqual([]);
  });

  it('refuses a forced rung that does not load, with the reason', async () => {
    await expect(selectBackend({ probes: fakeProbes({}), force: 'tensorflow' })).rejects.toThrow(
      `The forced backend "tensorflow" is not available: ${NODE} is not installed`,
    );
  });
});

describe('wasm thread count', () => {
  it('uses every core, at least 1 and at most 4', () => {
    expect([1, 2, 3, 4, 8, 64].map((cores) => defaultWasmThreads(cores))).toEqual([1, 2, 3, 4, 4, 4]);
  });

  it('takes FIXRES_WASM_THREADS, and refuses what is not 1–8', () => {
    const saved = process.env.FIXRES_WASM_THREADS;
    try {
      process.env.FIXRES_WASM_THREADS = '3';
      expect(wasmThreadsFromEnv(1)).toBe(3);
      process.env.FIXRES_WASM_THREADS = 'two';
      expect(() => wasmThreadsFromEnv(1)).toThrow('FIXRES_WASM_THREADS must be an integer from 1 to 8; got "two"');
      delete process.env.FIXRES_WASM_THREADS;
      expect(wasmThreadsFromEnv(2)).toBe(2);
    } finally {
      if (saved === undefined) delete process.env.FIXRES_WASM_THREADS;
      else process.env.FIXRES_WASM_THREADS = saved;
    }
  });
});
