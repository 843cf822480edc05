import { CUDA_LIBS_ENV } from '../../shared/backends';

/**
 * The environment an engine process starts with: the lab's own, with FIXRES_CUDA_LIBS put in front
 * of LD_LIBRARY_PATH. The dynamic loader reads LD_LIBRARY_PATH once, when a process starts, so the
 * engine cannot add it for itself; libtensorflow then finds CUDA 11 there beside a system CUDA 12.
 */
export function engineEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const cudaLibs = (env[CUDA_LIBS_ENV] ?? '').split(':').filter(Boolean);
  if (!cudaLibs.length) return env;
  const current = (env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  const path = [...cudaLibs, ...current.filter((dir) => !cudaLibs.includes(dir))];
  return { ...env, LD_LIBRARY_PATH: path.join(':') };
}
