import { describe, expect, it } from 'vitest';
import { cudaSkipReason, findCudaLibraries } from '../../../src/engine/backend/cuda-libraries';
import { fakeProbes } from './fake-probes';

describe('CUDA library detection for tfjs-node-gpu', () => {
  it('finds CUDA 11 and cuDNN 8 in the ldconfig cache and has nothing to object', () => {
    const libs = findCudaLibraries(
      fakeProbes({ ldconfig: ['/usr/local/cuda-11.2/lib64/libcudart.so.11.0', '/usr/lib/x86_64-linux-gnu/libcudnn.so.8'] }),
    );
    expect(libs.cudart).toBe('/usr/local/cuda-11.2/lib64/libcudart.so.11.0');
    expect(libs.cudnn).toBe('/usr/lib/x86_64-linux-gnu/libcudnn.so.8');
    expect(cudaSkipReason(libs)).toBeNull();
  });

  it('finds them through LD_LIBRARY_PATH and /usr/local/cuda*/lib64 when ldconfig does not list them', () => {
    const libs = findCudaLibraries(
      fakeProbes({
        env: { LD_LIBRARY_PATH: '/opt/cudnn/lib:/nowhere' },
        dirs: {
          '/usr/local': ['bin', 'cuda-11.2'],
          '/usr/local/cuda-11.2/lib64': ['libcudart.so', 'libcudart.so.11.0', 'libcublas.so.11'],
          '/opt/cudnn/lib': ['libcudnn.so.8', 'libcudnn.so.8.1.0'],
        },
      }),
    );
    expect(libs.cudart).toBe('/usr/local/cuda-11.2/lib64/libcudart.so.11.0');
    expect(libs.cudnn).toBe('/opt/cudnn/lib/libcudnn.so.8');
  });

  it('names the missing runtime and says where it looked', () => {
    const reason = cudaSkipReason(findCudaLibraries(fakeProbes({})));
    expect(reason).toMatch(/libcudart\.so\.11\.0 \(CUDA 11\.2 runtime\) not found/);
    expect(reason).toMatch(/libcudnn\.so\.8 \(cuDNN 8\) not found/);
    expect(reason).toMatch(/searched ldconfig -p, \/usr\/local\/cuda\*\/lib64/);
  });

  it('calls out CUDA 12 without 11.2 instead of letting TensorFlow silently run on the CPU', () => {
    const reason = cudaSkipReason(
      findCudaLibraries(
        fakeProbes({ ldconfig: ['/usr/local/cuda-12.4/lib64/libcudart.so.12', '/usr/lib/x86_64-linux-gnu/libcudnn.so.9'] }),
      ),
    );
    expect(reason).toMatch(/found libcudart\.so\.12 but not libcudart\.so\.11\.0/);
    expect(reason).toMatch(/silently runs on the CPU/);
    expect(reason).toMatch(/found libcudnn\.so\.9 but not libcudnn\.so\.8/);
  });
});
