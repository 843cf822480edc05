import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cudaAction,
  cudaSkipReason,
  findCudaLibraries,
  REQUIRED_CUDA_LIBRARIES,
} from '../../../src/engine/backend/cuda-libraries';
import { nodeSystemProbes, type SystemProbes } from '../../../src/engine/backend/system-probes';
import { tempDir } from '../../helpers/fixtures';
import { fakeProbes } from './fake-probes';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** A folder holding (empty) files named like the libraries, as an unpacked tarball or conda env would. */
function libraryFolder(names: readonly string[]): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const dir = join(t.dir, 'lib');
  mkdirSync(dir);
  for (const name of names) writeFileSync(join(dir, name), '');
  return dir;
}

/** This machine's real folders (but not its own /usr/local/cuda*), the environment given and an empty ldconfig cache. */
function machine(env: Record<string, string>): SystemProbes {
  const listDir = (dir: string) => (dir === '/usr/local' ? [] : nodeSystemProbes.listDir(dir));
  return { ...nodeSystemProbes, env: (name) => env[name], ldconfig: () => '', listDir };
}

describe('CUDA library detection for tfjs-node-gpu', () => {
  it('finds all eight CUDA 11 libraries libtensorflow 2.9 opens in the ldconfig cache, and has nothing to object', () => {
    const libs = findCudaLibraries(
      fakeProbes({ ldconfig: REQUIRED_CUDA_LIBRARIES.map((l) => `/usr/local/cuda-11.2/lib64/${l}`) }),
    );
    expect([...libs.loadable.keys()]).toEqual([...REQUIRED_CUDA_LIBRARIES]);
    expect(cudaSkipReason(libs)).toBeNull();
  });

  it('accepts the recipe: libraries unpacked into one folder that the lab put on the engine’s LD_LIBRARY_PATH', () => {
    const dir = libraryFolder([...REQUIRED_CUDA_LIBRARIES, 'libcudart.so.11.2.152', 'libcudnn_ops_infer.so.8']);
    const libs = findCudaLibraries(machine({ FIXRES_CUDA_LIBS: dir, LD_LIBRARY_PATH: `${dir}:/usr/lib` }));
    expect(libs.loadable.get('libcudnn.so.8')).toBe(join(dir, 'libcudnn.so.8'));
    expect(cudaSkipReason(libs)).toBeNull();
  });

  it('names a FIXRES_CUDA_LIBS folder the engine cannot load from (started without the lab) and says what to set', () => {
    const dir = libraryFolder(REQUIRED_CUDA_LIBRARIES);
    const libs = findCudaLibraries(machine({ FIXRES_CUDA_LIBS: dir }));
    expect(cudaSkipReason(libs)).toMatch(
      new RegExp(
        `^libcudart\\.so\\.11\\.0, libcublas\\.so\\.11, libcublasLt\\.so\\.11 and 5 more CUDA 11 libraries found in ${dir} but not on the engine's library path`,
      ),
    );
    expect(cudaSkipReason(libs)).toMatch(/searched ldconfig -p, FIXRES_CUDA_LIBS, \/usr\/local\/cuda\*\/lib64\)$/);
    expect(cudaAction(libs)).toBe(
      `set FIXRES_CUDA_LIBS=${dir} (the lab adds it to the engine's library path) and restart FixRes Lab`,
    );
  });

  it('finds a conda environment’s libraries ($CONDA_PREFIX/lib) that are not on the loader’s path', () => {
    const dir = libraryFolder(REQUIRED_CUDA_LIBRARIES);
    const libs = findCudaLibraries(machine({ CONDA_PREFIX: join(dir, '..') }));
    expect([...libs.elsewhere.values()]).toEqual(REQUIRED_CUDA_LIBRARIES.map(() => dir));
    expect(cudaAction(libs)).toMatch(`FIXRES_CUDA_LIBS=${dir} `);
  });

  it('names the one library missing from an incomplete install (cuFFT), which would silently leave TensorFlow on the CPU', () => {
    const dir = libraryFolder(REQUIRED_CUDA_LIBRARIES.filter((l) => l !== 'libcufft.so.10'));
    const libs = findCudaLibraries(machine({ LD_LIBRARY_PATH: dir }));
    expect(cudaSkipReason(libs)).toMatch(/^libcufft\.so\.10 not found \(searched ldconfig -p, LD_LIBRARY_PATH, /);
    expect(cudaAction(libs)).toMatch(/^install the CUDA 11\.2 runtime and cuDNN 8 libraries side by side/);
  });

  it('calls out CUDA 12 without 11.2 instead of letting TensorFlow silently run on the CPU', () => {
    const libs = findCudaLibraries(
      fakeProbes({ ldconfig: ['/usr/local/cuda-12.4/lib64/libcudart.so.12', '/usr/lib/x86_64-linux-gnu/libcudnn.so.9'] }),
    );
    const reason = cudaSkipReason(libs)!;
    expect(reason).toMatch(/^libcudart\.so\.11\.0, .* not found \(CUDA 11\.2 runtime and cuDNN 8\)/);
    expect(reason).toMatch(/found libcudart\.so\.12, libcudnn\.so\.9: tfjs-node-gpu 4\.22 .* silently runs on the CPU/);
  });

  it('looks in /usr/local/cuda*/lib64, where NVIDIA’s installer puts a second toolkit without telling ldconfig', () => {
    const libs = findCudaLibraries(
      fakeProbes({
        dirs: { '/usr/local': ['bin', 'cuda-11.2', 'cuda-12.4'], '/usr/local/cuda-11.2/lib64': [...REQUIRED_CUDA_LIBRARIES] },
      }),
    );
    expect(libs.elsewhere.get('libcudart.so.11.0')).toBe('/usr/local/cuda-11.2/lib64');
    expect(cudaSkipReason(libs)).toMatch(/found in \/usr\/local\/cuda-11\.2\/lib64 but not on the engine's library path/);
  });
});
