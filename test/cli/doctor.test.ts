import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { formatStatus } from '../../src/cli/commands/doctor';
import type { EngineStatus } from '../../src/shared/api/engine';
import { RUNG_NAMES } from '../../src/shared/backends';
import { tempDir } from '../helpers/fixtures';
import { webgpuForTests, webgpuTestEnv } from '../helpers/webgpu';

const run = promisify(execFile);
const BIN = resolve(__dirname, '../../bin/fixres.mjs');
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const webgpu = await webgpuForTests();
if (webgpu.skip) console.warn(`fixres doctor on webgpu skipped: ${webgpu.skip}`);

async function fixres(
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const env: NodeJS.ProcessEnv = { ...process.env, FIXRES_HOME: t.dir, ...extraEnv };
  delete env.FIXRES_BACKEND;
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('fixres doctor', () => {
  it('reports the forced backend as JSON, with versions and the machine', async () => {
    const r = await fixres(['doctor', '--backend', 'cpu', '--json']);
    expect(r.code).toBe(0);
    const status = JSON.parse(r.stdout) as EngineStatus;
    expect(status.backend).toMatchObject({ name: 'cpu', tfBackend: 'cpu', forced: true, skipped: [] });
    expect(status.versions.node).toBe(process.versions.node);
    expect(status.platform.cpuCores).toBe(availableParallelism());
  });

  it('refuses an unknown backend name', async () => {
    const r = await fixres(['doctor', '--backend', 'cuda']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--backend must be one of tensorflow-gpu, webgpu, tensorflow, wasm, cpu; got "cuda"/);
  });

  it.skipIf(webgpu.skip !== null)(
    'lists every rung as JSON: a software WebGPU adapter is available only when chosen, ONNX Runtime for forward passes',
    async () => {
      const r = await fixres(['doctor', '--json'], webgpuTestEnv());
      expect(r.code).toBe(0);
      const status = JSON.parse(r.stdout) as EngineStatus;
      expect(status.rungs.map((s) => s.name)).toEqual([...RUNG_NAMES]);
      const rung = (name: string) => status.rungs.find((s) => s.name === name)!;
      expect(rung('webgpu')).toMatchObject({ available: true, inUse: false, device: webgpu.device });
      if (webgpu.device!.software) {
        expect(rung('webgpu')).toMatchObject({ automatic: false, reason: expect.stringContaining('(software, not a GPU)') });
        expect(status.backend.name).not.toBe('webgpu');
      }
      // ONNX Runtime says where it computes (its CUDA provider is fetched by an install script the lab skips) and what it runs.
      expect(rung('onnxruntime')).toMatchObject({
        available: true,
        forwardOnly: true,
        reason: expect.stringMatching(
          /^onnxruntime-node \d+\.\d+\.\d+ (on the CPU \(the CUDA execution provider .* is not installed: .*install script downloads it.*\)|with its CUDA execution provider .*); (runs|not used, tfjs runs) evaluation, sweeps, activation statistics and predictions: /,
        ),
      });
      expect(rung(status.backend.name)).toMatchObject({ available: true, inUse: true });
      expect(status.defaultBackend).toBe(status.backend.name);
      // Every rung that does not load says why and what to do; CUDA's says what trains instead.
      for (const s of status.rungs.filter((r) => !r.available)) {
        expect(s.reason, s.name).not.toBe('');
        expect(s.action, s.name).toMatch(/\w/);
      }
      if (!rung('tensorflow-gpu').available) {
        expect(rung('tensorflow-gpu').reason).toMatch(/; (WebGPU will use .+|no GPU rung loads, training runs on \S+.*)$/);
      }
      expect(r.stderr).not.toMatch(/Found no drivers/);
    },
  );

  it.skipIf(webgpu.skip !== null)('runs on webgpu when chosen, naming the adapter in the text report', async () => {
    const r = await fixres(['doctor', '--backend', 'webgpu'], webgpuTestEnv());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^backend {3}webgpu \(tfjs "webgpu"; /);
    expect(r.stdout).toContain(webgpu.device!.software ? `${webgpu.device!.name} (software, not a GPU)` : webgpu.device!.name);
    expect(r.stdout).toMatch(/ {3}webgpu +in use /);
  });

  it('prints no Dawn driver warnings on a machine without Vulkan drivers', async () => {
    const r = await fixres(['doctor', '--json'], { VK_ICD_FILENAMES: '/nonexistent/icd.json' });
    expect(r.code).toBe(0);
    const status = JSON.parse(r.stdout) as EngineStatus;
    expect(status.rungs.find((s) => s.name === 'webgpu')).toMatchObject({
      available: false,
      reason: expect.stringMatching(/^no Vulkan driver found/),
    });
    expect(r.stderr).not.toMatch(/Found no drivers|vkCreateInstance/);
  });

  it('explains each rung in its text report, with what to do', () => {
    const unavailable = (name: 'tensorflow-gpu' | 'tensorflow', reason: string, action: string) =>
      ({ name, available: false, automatic: false, inUse: false, forwardOnly: false, device: null, reason, action }) as const;
    const text = formatStatus({
      backend: {
        name: 'wasm',
        tfBackend: 'wasm',
        device: null,
        threads: 2,
        simd: true,
        forced: false,
        skipped: [],
        notes: [],
        kernels: ['Conv2DBackpropFilter'],
      },
      rungs: [
        unavailable('tensorflow-gpu', 'libcudart.so.11.0 not found', 'install CUDA 11.2'),
        {
          name: 'webgpu',
          available: true,
          automatic: false,
          inUse: false,
          forwardOnly: false,
          device: { name: 'SwiftShader driver 5.0.0', software: true },
          reason: 'SwiftShader driver 5.0.0 (software, not a GPU): used only when chosen',
          action: null,
        },
        unavailable('tensorflow', '@tensorflow/tfjs-node is not installed', 'npm install @tensorflow/tfjs-node'),
        {
          name: 'wasm',
          available: true,
          automatic: true,
          inUse: true,
          forwardOnly: false,
          device: null,
          reason: 'loaded',
          action: null,
        },
      ],
      defaultBackend: 'wasm',
      versions: { tfjs: '4.22.0', node: '20.20.2', v8: '11', electron: null },
      platform: { os: 'linux', release: '6', arch: 'x64', cpuModel: 'EPYC', cpuCores: 2, memoryGb: 24 },
      checkedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(text).toContain('backend   wasm (tfjs "wasm"; 2 threads, SIMD)');
    expect(text).toContain('rungs     tensorflow-gpu  unavailable CUDA (tfjs-node-gpu): libcudart.so.11.0 not found\n');
    expect(text).toContain('                            → install CUDA 11.2\n');
    expect(text).toContain(
      '          webgpu          if chosen   WebGPU (Dawn): SwiftShader driver 5.0.0 (software, not a GPU): used only',
    );
    expect(text).toContain('          wasm            in use      WebAssembly: loaded\n');
  });
});
