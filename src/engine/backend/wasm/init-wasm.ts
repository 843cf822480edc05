import * as tf from '@tensorflow/tfjs-core';
import { registerWasmKernels } from '../kernels/register-wasm-kernels';
import { enableWasmThreadsForNode } from './node-threads';

export interface WasmSetup {
  threads: number;
  simd: boolean;
  notes: string[];
  kernels: string[];
}

/** wasm compiles and (threaded) starts its workers in well under this; past it, something hangs. */
const START_TIMEOUT_MS = 60_000;

/** Starts the wasm backend (see startWasmBackend) and registers all our kernels on it. */
export async function initWasm(threads: number): Promise<WasmSetup> {
  const started = await startWasmBackend(threads);
  return { ...started, kernels: registerWasmKernels() };
}

/**
 * Loads tfjs-backend-wasm and starts it with `threads` XNNPACK threads (Node worker_threads, see
 * node-threads.ts), without our kernels. When the threaded build cannot start it retries on one
 * thread and says why in the notes.
 */
export async function startWasmBackend(threads: number): Promise<Omit<WasmSetup, 'kernels'>> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const notes: string[] = [];
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  let started = false;
  if (threads > 1 && !simd) notes.push('wasm threads need the SIMD build, which this runtime lacks; using 1 thread');
  if (threads > 1 && simd) {
    wasm.setThreadsCount(threads);
    const restore = enableWasmThreadsForNode(tf.env(), threads);
    try {
      started = await startWasm();
      if (!started) notes.push('the threaded wasm build did not start; using 1 thread');
    } catch (err) {
      notes.push(`the threaded wasm build did not start (${(err as Error).message}); using 1 thread`);
    } finally {
      restore();
    }
  }
  if (!started) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    wasm.setThreadsCount(1);
    if (!(await startWasm())) throw new Error('tfjs could not initialise the wasm backend');
  }
  if (started) releaseThreadWorkers();
  const actual = wasm.getThreadsCount();
  if (threads > 1 && started && actual < threads) notes.push(`asked wasm for ${threads} threads; XNNPACK started ${actual}`);
  return { threads: actual, simd, notes };
}

/**
 * XNNPACK's pool threads run (wait for work) for the life of the process, and Emscripten keeps a
 * running pthread's worker referenced, so a script using threaded wasm would never exit on its own.
 * Unreferenced, they still work; they just no longer hold the process open.
 */
function releaseThreadWorkers(): void {
  const module = (tf.backend() as unknown as { wasm: { PThread?: { runningWorkers: { unref?(): void }[] } } }).wasm;
  for (const worker of module.PThread?.runningWorkers ?? []) worker.unref?.();
}

async function startWasm(): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`wasm did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
  });
  try {
    return await Promise.race([tf.setBackend('wasm'), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Threads for wasm: FIXRES_WASM_THREADS, else `fallback`. */
export function wasmThreadsFromEnv(fallback: number): number {
  const raw = process.env.FIXRES_WASM_THREADS?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 8) throw new Error(`FIXRES_WASM_THREADS must be an integer from 1 to 8; got "${raw}"`);
  return n;
}
