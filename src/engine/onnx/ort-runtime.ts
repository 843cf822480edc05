import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import type * as Ort from 'onnxruntime-node';

export type OrtModule = typeof Ort;
export type OrtProvider = 'cuda' | 'cpu';

/** Whether ONNX Runtime loads here, and with which execution providers. */
export interface OnnxRuntimeProbe {
  available: boolean;
  version: string | null;
  /** Providers worth trying, best first ('cuda' only when its library ships next to the binding). */
  providers: OrtProvider[];
  /** Why it is unavailable, or what limits it (no CUDA provider library). */
  reason: string | null;
  /** What to do about the reason; null when there is nothing to do. */
  action: string | null;
}

export const ORT_PACKAGE = 'onnxruntime-node';

let loading: Promise<OrtModule> | null = null;

/** onnxruntime-node, loaded on first use (its native library is 30 MB; jobs that never forward do not pay for it). */
export function loadOnnxRuntime(): Promise<OrtModule> {
  loading ??= import('onnxruntime-node')
    .then((m) => ((m as { default?: OrtModule }).default ?? m) as OrtModule)
    .catch((err: unknown) => {
      loading = null;
      const code = (err as { code?: unknown }).code;
      throw Object.assign(new Error(`onnxruntime-node failed to load: ${(err as Error).message.split('\n')[0]}`), { code });
    });
  return loading;
}

/** The folder holding onnxruntime-node's native libraries for this platform. */
function nativeFolder(): string | null {
  try {
    const entry = createRequire(import.meta.url).resolve('onnxruntime-node');
    return join(dirname(entry), '..', 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return null;
  }
}

const CUDA_PROVIDER_FILE = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';

/** True when the CUDA execution provider's library is installed (onnxruntime-node's install script fetches it; offline it is absent). */
export function cudaProviderInstalled(folder = nativeFolder()): boolean {
  return folder !== null && existsSync(join(folder, CUDA_PROVIDER_FILE));
}

/** The CUDA provider's files: onnxruntime-node's install script fetches them; FixRes Lab's allowScripts skips it. */
const CUDA_PROVIDER_HOW_TO =
  process.platform === 'linux' && process.arch === 'x64'
    ? 'on a machine with an NVIDIA GPU, CUDA 12 and cuDNN 9, fetch it with internet access: ' +
      'ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install ' +
      '(downloads Microsoft.ML.OnnxRuntime.Gpu.Linux from nuget.org)'
    : null;

export interface OnnxRuntimeProbeDeps {
  load: () => Promise<OrtModule>;
  cudaProviderInstalled: () => boolean;
}

/**
 * Loads ONNX Runtime (once) and reports what it can run on: the one probe behind the forward
 * choice, the backend ladder and `fixres doctor`. Never throws; an unavailable runtime says why
 * and what to do.
 */
export async function probeOnnxRuntime(
  deps: OnnxRuntimeProbeDeps = { load: loadOnnxRuntime, cudaProviderInstalled: () => cudaProviderInstalled() },
): Promise<OnnxRuntimeProbe> {
  let ort: OrtModule;
  try {
    ort = await deps.load();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const missing = (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && /onnxruntime-node/.test(String(err));
    return missing
      ? {
          available: false,
          version: null,
          providers: [],
          reason: `${ORT_PACKAGE} is not installed`,
          action: `npm install ${ORT_PACKAGE}`,
        }
      : {
          available: false,
          version: null,
          providers: [],
          reason: (err as Error).message.split('\n')[0]!,
          action: `reinstall ${ORT_PACKAGE} (npm ci): its CPU library ships inside the package`,
        };
  }
  const version = ort.env.versions.node ?? ort.env.versions.common ?? null;
  if (deps.cudaProviderInstalled()) {
    return { available: true, version, providers: ['cuda', 'cpu'], reason: null, action: null };
  }
  return {
    available: true,
    version,
    providers: ['cpu'],
    reason:
      `the CUDA execution provider (${CUDA_PROVIDER_FILE}) is not installed: ` +
      `${ORT_PACKAGE}'s install script downloads it, and FixRes Lab does not run that script`,
    action: CUDA_PROVIDER_HOW_TO,
  };
}

/**
 * Intra-op threads for ONNX Runtime: FIXRES_ORT_THREADS, else every core up to 4 (the rule the
 * wasm backend follows; the data workers decode between batches, when ORT is idle).
 */
export function ortThreads(cores = os.availableParallelism(), env = process.env.FIXRES_ORT_THREADS): number {
  const value = env?.trim();
  if (value) {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`FIXRES_ORT_THREADS must be a positive integer; got "${value}"`);
    return n;
  }
  return Math.max(1, Math.min(4, cores));
}

/** An open ONNX Runtime session and where it runs. */
export interface OrtSession {
  ort: OrtModule;
  session: Ort.InferenceSession;
  provider: OrtProvider;
  threads: number;
  /** Why a better provider was not used, if one was tried. */
  notes: string[];
}

/**
 * Opens `model` (ONNX bytes or a file path) on the best provider that loads: CUDA when its
 * library is installed (falling back to the CPU when it fails, e.g. no driver), else the CPU.
 * The CPU session spins no threads between runs, so the data workers get the cores back.
 */
export async function openOrtSession(model: Uint8Array | string, options: { threads: number }): Promise<OrtSession> {
  const ort = await loadOnnxRuntime();
  const base: Ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: options.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
  const notes: string[] = [];
  const create = (o: Ort.InferenceSession.SessionOptions) =>
    typeof model === 'string' ? ort.InferenceSession.create(model, o) : ort.InferenceSession.create(model, o);
  if (cudaProviderInstalled()) {
    try {
      const session = await create({ ...base, executionProviders: ['cuda', 'cpu'] });
      return { ort, session, provider: 'cuda', threads: options.threads, notes };
    } catch (err) {
      notes.push(`CUDA execution provider failed: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  const session = await create({ ...base, executionProviders: ['cpu'] });
  return { ort, session, provider: 'cpu', threads: options.threads, notes };
}
