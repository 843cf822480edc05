import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { formatStatus } from '../../src/cli/commands/doctor';
import type { EngineStatus } from '../../src/shared/api/engine';
import { tempDir } from '../helpers/fixtures';

const run = promisify(execFile);
const BIN = resolve(__dirname, '../../bin/fixres.mjs');
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

async function fixres(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const env: NodeJS.ProcessEnv = { ...process.env, FIXRES_HOME: t.dir };
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
    expect(r.stderr).toMatch(/--backend must be one of tensorflow-gpu, tensorflow, wasm, cpu; got "cuda"/);
  });

  it('explains each skipped rung in its text report', () => {
    const text = formatStatus({
      backend: {
        name: 'wasm',
        tfBackend: 'wasm',
        gpu: null,
        threads: 2,
        simd: true,
        forced: false,
        skipped: [
          { name: 'tensorflow-gpu', reason: 'libcudart.so.11.0 (CUDA 11.2 runtime) not found' },
          { name: 'tensorflow', reason: '@tensorflow/tfjs-node is not installed' },
        ],
        notes: [],
        kernels: ['Conv2DBackpropFilter'],
      },
      versions: { tfjs: '4.22.0', node: '20.20.2', v8: '11', electron: null },
      platform: { os: 'linux', release: '6', arch: 'x64', cpuModel: 'EPYC', cpuCores: 2, memoryGb: 24 },
      checkedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(text).toContain('backend   wasm (tfjs "wasm"; 2 threads, SIMD)');
    expect(text).toContain('skipped   tensorflow-gpu: libcudart.so.11.0 (CUDA 11.2 runtime) not found');
    expect(text).toContain('          tensorflow: @tensorflow/tfjs-node is not installed');
  });
});
