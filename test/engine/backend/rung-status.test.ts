import { afterEach, describe, expect, it } from 'vitest';
import { rungStatuses } from '../../../src/engine/backend/rung-status';
import { selectBackend } from '../../../src/engine/backend/select-backend';
import type { SystemProbes } from '../../../src/engine/backend/system-probes';
import type { BackendName } from '../../../src/shared/backends';
import type { BackendReport } from '../../../src/shared/jobs/doctor';
import { fakeProbes, removeFakeBackends, type FakeMachine } from './fake-probes';

afterEach(removeFakeBackends);

const A4000 = { name: 'NVIDIA RTX A4000', software: false };
const SWIFTSHADER = { name: 'SwiftShader driver 5.0.0', software: true };
const VULKAN = { '/usr/share/vulkan/icd.d': ['nvidia_icd.json'] };
const ORT = { module: { env: { versions: { node: '1.31.1' } } } };

/** The ladder's choice on a fake machine, then every rung's status as the doctor reports it. */
async function doctorOn(machine: FakeMachine, force?: BackendName) {
  const probes: SystemProbes = fakeProbes(machine);
  const active: BackendReport = await selectBackend({ probes, force, wasmThreads: 1 });
  const statuses = await rungStatuses({ active, started: new Map([[active.name, active]]), probes });
  return { active, byName: Object.fromEntries(statuses.map((s) => [s.name, s])), order: statuses.map((s) => s.name) };
}

describe('every rung in the doctor report', () => {
  it('on a CUDA 12 workstation: CUDA says why and that WebGPU will use the card, WebGPU runs on it', async () => {
    const { active, byName, order } = await doctorOn({
      installed: ['@tensorflow/tfjs-node-gpu', 'webgpu', 'onnxruntime-node'],
      addon: { 'onnxruntime-node': ORT },
      ldconfig: ['/usr/local/cuda-12.4/lib64/libcudart.so.12', '/usr/lib/x86_64-linux-gnu/libcudnn.so.9'],
      dirs: VULKAN,
      webgpu: A4000,
      nvidiaGpus: ['NVIDIA RTX A4000'],
    });
    expect(order).toEqual(['tensorflow-gpu', 'webgpu', 'tensorflow', 'onnxruntime', 'wasm', 'cpu']);
    expect(active.name).toBe('webgpu');
    expect(byName['tensorflow-gpu']).toMatchObject({
      available: false,
      reason: expect.stringMatching(
        /^libcudart\.so\.11\.0, .* not found .*found libcudart\.so\.12, libcudnn\.so\.9: .*; WebGPU will use NVIDIA RTX A4000$/,
      ),
      action: expect.stringMatching(/side by side .*FIXRES_CUDA_LIBS/),
    });
    expect(byName.webgpu).toMatchObject({ available: true, automatic: true, inUse: true, device: A4000 });
    expect(byName.onnxruntime).toMatchObject({
      available: true,
      automatic: true,
      forwardOnly: true,
      reason:
        "onnxruntime-node 1.31.1 on the CPU (the CUDA execution provider (libonnxruntime_providers_cuda.so) is not installed: onnxruntime-node's install script downloads it, and FixRes Lab does not run that script); " +
        'not used, tfjs runs evaluation, sweeps, activation statistics and predictions: tfjs runs on a GPU (NVIDIA RTX A4000) and ONNX Runtime only on the CPU here',
      action: expect.stringContaining('ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install'),
    });
    expect(byName.wasm).toMatchObject({ available: true, inUse: false });
  });

  it('with only SwiftShader: WebGPU is available when chosen, labelled as software, and not in use', async () => {
    const { active, byName } = await doctorOn({ installed: ['webgpu'], dirs: VULKAN, webgpu: SWIFTSHADER });
    expect(active.name).toBe('wasm');
    expect(byName.webgpu).toMatchObject({
      available: true,
      automatic: false,
      inUse: false,
      device: SWIFTSHADER,
      reason: 'SwiftShader driver 5.0.0 (software, not a GPU): used only when chosen',
    });
    expect(byName['tensorflow-gpu']!.reason).toMatch(/; no GPU rung loads, training runs on wasm$/);
  });

  it('when webgpu was chosen on SwiftShader, reports it in use but still not automatic', async () => {
    const { byName } = await doctorOn({ installed: ['webgpu'], dirs: VULKAN, webgpu: SWIFTSHADER }, 'webgpu');
    expect(byName.webgpu).toMatchObject({
      available: true,
      automatic: false,
      inUse: true,
      reason: expect.stringContaining('(software, not a GPU)'),
    });
    expect(byName.wasm).toMatchObject({ available: true, inUse: false });
  });

  it('checks tfjs-node on disk without loading it: a package whose libtensorflow download failed has no addon', async () => {
    const machine = { installed: ['@tensorflow/tfjs-node'] };
    const probes = fakeProbes(machine);
    const active = await selectBackend({ probes, force: 'cpu' });
    const [, , tensorflow] = await rungStatuses({ active, started: new Map([['cpu', active]]), probes });
    expect(tensorflow).toMatchObject({ name: 'tensorflow', available: false, reason: expect.stringMatching(/no native addon/) });
    expect(probes.loaded).toEqual([]);
    const withAddon = fakeProbes({
      ...machine,
      dirs: {
        '/node_modules/@tensorflow/tfjs-node/lib': ['napi-v8'],
        '/node_modules/@tensorflow/tfjs-node/lib/napi-v8': ['tfjs_binding.node'],
      },
    });
    const [, , found] = await rungStatuses({ active, started: new Map([['cpu', active]]), probes: withAddon });
    expect(found).toMatchObject({ available: true, automatic: true });
  });

  it('says ONNX Runtime runs the forward passes next to a CPU rung, and when FIXRES_FORWARD says otherwise', async () => {
    const machine = { installed: ['onnxruntime-node'], addon: { 'onnxruntime-node': ORT } };
    const { byName } = await doctorOn(machine);
    expect(byName.onnxruntime!.reason).toMatch(
      /; runs evaluation, sweeps, activation statistics and predictions: ONNX Runtime is faster than tfjs wasm on the CPU$/,
    );
    const tfjs = await doctorOn({ ...machine, env: { FIXRES_FORWARD: 'tfjs' } });
    expect(tfjs.byName.onnxruntime!.reason).toMatch(/; not used, tfjs runs .*: FIXRES_FORWARD=tfjs$/);
  });

  it('says what to do when ONNX Runtime is missing or its native library fails to load', async () => {
    const { byName } = await doctorOn({});
    expect(byName.onnxruntime).toMatchObject({
      available: false,
      reason: 'onnxruntime-node is not installed',
      action: 'npm install onnxruntime-node',
    });
    const broken = await doctorOn({
      installed: ['onnxruntime-node'],
      addon: { 'onnxruntime-node': { throws: 'libonnxruntime.so.1: cannot open shared object file' } },
    });
    expect(broken.byName.onnxruntime).toMatchObject({
      available: false,
      reason: 'libonnxruntime.so.1: cannot open shared object file',
      action: expect.stringMatching(/^reinstall onnxruntime-node \(npm ci\)/),
    });
  });

  it('reports ONNX Runtime with its CUDA execution provider when the provider library is installed', async () => {
    const { byName } = await doctorOn({
      installed: ['onnxruntime-node'],
      addon: { 'onnxruntime-node': ORT },
      ortCudaProvider: true,
    });
    expect(byName.onnxruntime).toMatchObject({
      available: true,
      action: null,
      reason:
        'onnxruntime-node 1.31.1 with its CUDA execution provider (a session falls back to the CPU when CUDA 12 or cuDNN 9 does not load); ' +
        'runs evaluation, sweeps, activation statistics and predictions: ONNX Runtime is faster than tfjs wasm on the CPU',
    });
  });
});
