import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultWasmThreads, selectBackend } from '../../../src/engine/backend/select-backend';
import { wasmThreadsFromEnv } from '../../../src/engine/backend/wasm/init-wasm';
import { fakeProbes, removeFakeBackends } from './fake-probes';

const GPU = '@tensorflow/tfjs-node-gpu';
const NODE = '@tensorflow/tfjs-node';
const CUDA_11 = [
  'libcudart.so.11.0',
  'libcublas.so.11',
  'libcublasLt.so.11',
  'libcufft.so.10',
  'libcurand.so.10',
  'libcusolver.so.11',
  'libcusparse.so.11',
]
  .map((lib) => `/usr/local/cuda-11.2/lib64/${lib}`)
  .concat('/usr/lib/x86_64-linux-gnu/libcudnn.so.8');
const CUDA_12 = ['/usr/local/cuda-12.2/lib64/libcudart.so.12', '/usr/lib/x86_64-linux-gnu/libcudnn.so.8'];
const VULKAN_DRIVER = { '/usr/share/vulkan/icd.d': ['nvidia_icd.json'] };

afterEach(removeFakeBackends);

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
      device: { name: 'NVIDIA RTX A4000', software: false },
      skipped: [],
      forced: false,
    });
    expect(tf.getBackend()).toBe('tensorflow');
  });

  it('skips the GPU rung without loading it when libcudart.so.11.0 is missing, then uses tfjs-node', async () => {
    const probes = fakeProbes({ installed: [GPU, NODE], addon: { [NODE]: { gpu: false } }, nvidiaGpus: ['Tesla T4'] });
    const report = await selectBackend({ probes });
    expect(report.name).toBe('tensorflow');
    expect(report.device).toBeNull();
    expect(report.skipped[0]).toEqual({
      name: 'tensorflow-gpu',
      reason: expect.stringMatching(/libcudart\.so\.11\.0.* not found/),
      action: expect.stringMatching(/FIXRES_CUDA_LIBS/),
    });
    expect(probes.loaded).toEqual([NODE]);
  });

  it('reports CUDA 12 without 11.2 as the reason instead of claiming a GPU', async () => {
    const probes = fakeProbes({
      installed: [GPU, NODE],
      addon: { [GPU]: { gpu: false }, [NODE]: { gpu: false } },
      ldconfig: CUDA_12,
    });
    const report = await selectBackend({ probes });
    expect(report.name).toBe('tensorflow');
    expect(report.skipped[0]!.reason).toMatch(
      /libcudart\.so\.11\.0.* not found.*found libcudart\.so\.12: .*silently runs on the CPU/,
    );
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
          action: expect.any(String),
        },
        { name: 'webgpu', reason: 'webgpu (Dawn) is not installed', action: 'npm install webgpu' },
        {
          name: 'tensorflow',
          reason: `${NODE} failed to load: Cannot find module '/x/lib/napi-v8/tfjs_binding.node'`,
          action: expect.any(String),
        },
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
    expect(report.skipped).toContainEqual({
      name: 'tensorflow-gpu',
      reason: 'nvidia-smi lists no GPU',
      action: expect.any(String),
    });
  });

  it('says macOS has no CUDA and that the webgpu rung uses its GPU instead', async () => {
    const report = await selectBackend({ probes: fakeProbes({ platform: 'darwin', installed: [GPU] }), wasmThreads: 1 });
    expect(report.skipped[0]).toEqual({
      name: 'tensorflow-gpu',
      reason: `${GPU} needs CUDA, which darwin does not have`,
      action: 'nothing to install: the webgpu rung computes on this GPU (Metal)',
    });
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

describe('the WebGPU rung', () => {
  const A4000 = { name: 'NVIDIA RTX A4000', software: false };
  const SWIFTSHADER = { name: 'SwiftShader driver 5.0.0', software: true };

  it('runs on a hardware adapter when CUDA 11 is missing, naming the adapter', async () => {
    const probes = fakeProbes({ installed: [GPU, 'webgpu'], ldconfig: CUDA_12, dirs: VULKAN_DRIVER, webgpu: A4000 });
    const report = await selectBackend({ probes });
    expect(report).toMatchObject({ name: 'webgpu', tfBackend: 'webgpu', device: A4000, forced: false, kernels: ['MaxPoolGrad'] });
    expect(report.skipped.map((s) => s.name)).toEqual(['tensorflow-gpu']);
    expect(tf.getBackend()).toBe('webgpu');
  });

  it('passes over a software adapter (SwiftShader) unless webgpu is chosen, saying it is not a GPU', async () => {
    const machine = { installed: ['webgpu'], dirs: VULKAN_DRIVER, webgpu: SWIFTSHADER };
    const report = await selectBackend({ probes: fakeProbes(machine), wasmThreads: 1 });
    expect(report.name).toBe('wasm');
    expect(report.skipped).toContainEqual({
      name: 'webgpu',
      reason: 'the only adapter is SwiftShader driver 5.0.0 (software, not a GPU): used only when chosen',
      action: expect.stringMatching(/FIXRES_BACKEND=webgpu/),
    });
    const forced = await selectBackend({ probes: fakeProbes(machine), force: 'webgpu' });
    expect(forced).toMatchObject({ name: 'webgpu', device: SWIFTSHADER, forced: true });
    expect(forced.notes).toEqual(["SwiftShader driver 5.0.0 emulates a GPU on the CPU: its speed is not a GPU's"]);
  });

  it('does not ask Dawn on Linux without a Vulkan driver (Dawn would print "Found no drivers!")', async () => {
    const probes = fakeProbes({ installed: ['webgpu'], webgpu: A4000, env: { HOME: '/home/u' } });
    const report = await selectBackend({ probes, wasmThreads: 1 });
    const skip = report.skipped.find((s) => s.name === 'webgpu')!;
    expect(skip.reason).toMatch(
      /^no Vulkan driver found \(searched \/etc\/xdg\/vulkan\/icd\.d, \/etc\/vulkan\/icd\.d, \/home\/u\/\.local\/share\/vulkan\/icd\.d/,
    );
    expect(skip.action).toMatch(/Vulkan driver/);
    expect(probes.loaded).not.toContain('dawn');
  });

  it('asks Dawn directly on macOS (Metal needs no driver files)', async () => {
    const report = await selectBackend({ probes: fakeProbes({ platform: 'darwin', installed: ['webgpu'], webgpu: A4000 }) });
    expect(report).toMatchObject({ name: 'webgpu', device: A4000 });
  });

  it('says when Dawn finds no adapter', async () => {
    const report = await selectBackend({ probes: fakeProbes({ installed: ['webgpu'], dirs: VULKAN_DRIVER }), wasmThreads: 1 });
    expect(report.skipped.find((s) => s.name === 'webgpu')?.reason).toBe('Dawn found no WebGPU adapter');
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
