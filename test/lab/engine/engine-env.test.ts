import { describe, expect, it } from 'vitest';
import { engineEnv } from '../../../src/lab/engine/engine-env';

describe('the engine process environment', () => {
  it('puts FIXRES_CUDA_LIBS in front of LD_LIBRARY_PATH, where libtensorflow’s loader will look', () => {
    const env = engineEnv({
      FIXRES_CUDA_LIBS: '/opt/cuda11/lib:/opt/cudnn8/lib',
      LD_LIBRARY_PATH: '/usr/lib:/opt/cuda11/lib',
      HOME: '/h',
    });
    expect(env.LD_LIBRARY_PATH).toBe('/opt/cuda11/lib:/opt/cudnn8/lib:/usr/lib');
    expect(env.HOME).toBe('/h');
  });

  it('leaves the environment alone without FIXRES_CUDA_LIBS', () => {
    const base = { LD_LIBRARY_PATH: '/usr/lib' };
    expect(engineEnv(base)).toBe(base);
  });
});
