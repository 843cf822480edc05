import { getKernel, type KernelConfig, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** wasm's own kernels as shipped, captured before we replace some of them (see register-wasm-kernels.ts). */
const shipped = new Map<string, KernelConfig>();

/** Remembers wasm's shipped kernel so ours can still delegate to it after replacing it in the registry. */
export function rememberShippedKernel(kernelName: string): KernelConfig {
  const known = shipped.get(kernelName);
  if (known) return known;
  const config = getKernel(kernelName, 'wasm');
  if (!config) throw new Error(`wasm has no ${kernelName} kernel to build on`);
  shipped.set(kernelName, config);
  return config;
}

/** Time spent in wasm kernels called from inside ours, by "outer/inner" name (null: not recording). */
let innerTimes: Map<string, { ms: number; calls: number }> | null = null;

/** Starts recording inner kernel times (for `npm run bench:profile`); returns the live table. */
export function recordInnerKernels(): Map<string, { ms: number; calls: number }> {
  innerTimes = new Map();
  return innerTimes;
}

/** Stops recording inner kernel times. */
export function stopRecordingInnerKernels(): void {
  innerTimes = null;
}

/**
 * Runs wasm kernels from inside one of our kernels, like tfjs's own composite kernels do: every
 * intermediate it makes is freed by `finish()` except the result it returns. Calls go straight to
 * the kernel functions (no tape, no engine bookkeeping), so they cost what the wasm kernel costs.
 */
export class KernelScope {
  readonly backend: BackendWasm;
  readonly name: string;
  #made: TensorInfo[] = [];

  constructor(backend: unknown, name = 'composite') {
    this.backend = backend as BackendWasm;
    this.name = name;
  }

  /** Runs wasm's kernel `name` (the shipped one if we replaced it) and tracks its outputs. */
  run(name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    const [first] = this.runMany(name, inputs, attrs);
    return first!;
  }

  /** Like run() for kernels with several outputs. */
  runMany(name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo[] {
    const config = shipped.get(name) ?? getKernel(name, 'wasm');
    if (!config) throw new Error(`wasm has no ${name} kernel`);
    const start = innerTimes ? performance.now() : 0;
    const out = config.kernelFunc({ inputs, attrs, backend: this.backend });
    if (innerTimes) {
      const key = `${this.name}/${name}`;
      const entry = innerTimes.get(key) ?? { ms: 0, calls: 0 };
      entry.ms += performance.now() - start;
      entry.calls++;
      innerTimes.set(key, entry);
    }
    const outputs = Array.isArray(out) ? out : [out];
    this.#made.push(...outputs);
    return outputs;
  }

  /** A small constant made from JS values (index maps and the like). */
  constant(values: Int32Array | Float32Array, shape: number[]): TensorInfo {
    const dtype = values instanceof Int32Array ? 'int32' : 'float32';
    const info = this.backend.makeOutput(shape, dtype, undefined, values);
    this.#made.push(info);
    return info;
  }

  /** A reshape that shares the data (wasm counts the extra reference; finish() releases it). */
  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  /** Frees every intermediate except `result`, and returns it. */
  finish(result: TensorInfo): TensorInfo {
    for (const info of this.#made) if (info !== result) this.backend.disposeData(info.dataId);
    this.#made = [];
    return result;
  }

  /** Frees every intermediate (error paths). */
  abandon(): void {
    for (const info of this.#made) this.backend.disposeData(info.dataId);
    this.#made = [];
  }
}

/** Wraps a composite kernel body so intermediates are freed on success and on error. */
export function composite<A>(name: string, body: (scope: KernelScope, args: A) => TensorInfo) {
  return (args: A & { backend: unknown }): TensorInfo => {
    const scope = new KernelScope(args.backend, name);
    try {
      return scope.finish(body(scope, args));
    } catch (err) {
      scope.abandon();
      throw err;
    }
  };
}
