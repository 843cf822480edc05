import { deviceLabel, type ComputeDevice } from '../../shared/backends';
import type { ForwardEngine } from '../../shared/jobs/eval';
import type { OnnxRuntimeProbe } from '../onnx/ort-runtime';

export interface ForwardChoiceInput {
  /** FIXRES_FORWARD, when set. */
  requested: ForwardEngine | undefined;
  /** The tfjs backend of this engine process and the GPU (or GPU emulation) it computes on. */
  backend: { name: string; device: ComputeDevice | null };
  ort: OnnxRuntimeProbe;
}

export interface ForwardChoice {
  engine: ForwardEngine;
  reason: string;
}

/**
 * Which engine runs inference forward passes. The measured rule (docs/BENCHMARKS.md, ONNX
 * Runtime): on the CPU, ONNX Runtime evaluates every lab model several times faster than tfjs
 * (wasm, cpu), so it is used unless tfjs computes on a GPU and ONNX Runtime has no GPU provider.
 * FIXRES_FORWARD=tfjs|onnxruntime overrides; asking for ONNX Runtime where it does not load is an
 * error, not a silent fallback.
 */
export function chooseForwardEngine({ requested, backend, ort }: ForwardChoiceInput): ForwardChoice {
  if (requested === 'tfjs') return { engine: 'tfjs', reason: 'FIXRES_FORWARD=tfjs' };
  if (requested === 'onnxruntime') {
    if (!ort.available) throw new Error(`FIXRES_FORWARD=onnxruntime, but ONNX Runtime is not available: ${ort.reason}`);
    return { engine: 'onnxruntime', reason: 'FIXRES_FORWARD=onnxruntime' };
  }
  if (!ort.available) return { engine: 'tfjs', reason: `ONNX Runtime is not available (${ort.reason})` };
  // A software adapter (SwiftShader) is tfjs computing on the CPU, far slower than ONNX Runtime there.
  const gpu = backend.device && !backend.device.software ? backend.device.name : null;
  if (gpu !== null && !ort.providers.includes('cuda')) {
    return { engine: 'tfjs', reason: `tfjs runs on a GPU (${gpu}) and ONNX Runtime only on the CPU here` };
  }
  if (gpu !== null) return { engine: 'onnxruntime', reason: 'ONNX Runtime with its CUDA provider' };
  const on = backend.device ? ` on ${deviceLabel(backend.device)}` : ' on the CPU';
  return { engine: 'onnxruntime', reason: `ONNX Runtime is faster than tfjs ${backend.name}${on}` };
}

/** FIXRES_FORWARD as an engine name (undefined when unset); anything else is an error that says what to set. */
export function requestedForwardEngine(value = process.env.FIXRES_FORWARD): ForwardEngine | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (v === 'tfjs' || v === 'onnxruntime') return v;
  throw new Error(`FIXRES_FORWARD must be "tfjs" or "onnxruntime"; got "${v}"`);
}
