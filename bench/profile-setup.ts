import { registerBatchNormGradient } from '../src/engine/backend/batch-norm/batch-norm-grad';
import { installFusedBatchNorm } from '../src/engine/backend/batch-norm/fused-layers-batch-norm';
import { registerWasmKernels, type WasmKernelGroup } from '../src/engine/backend/kernels/register-wasm-kernels';
import { startWasmBackend } from '../src/engine/backend/wasm/init-wasm';

export interface Stage {
  name: string;
  groups: WasmKernelGroup[];
  leanBatchNormGradient: boolean;
  fusedBatchNorm: boolean;
}

/**
 * The wasm training path, one optimisation at a time (cumulative). Stage 0 is the least that trains
 * correctly: wasm's shipped kernels plus the ones it lacks (Conv2DBackpropFilter, depthwise
 * gradients) and the correctness fixes (explicit-pad conv, first-max MaxPoolGrad).
 */
export const STAGES: Stage[] = [
  {
    name: 'training kernels only (shipped wasm otherwise)',
    groups: ['training'],
    leanBatchNormGradient: false,
    fusedBatchNorm: false,
  },
  {
    name: '+ Conv2DBackpropInput as one XNNPACK conv',
    groups: ['training', 'conv-backprop-input'],
    leanBatchNormGradient: false,
    fusedBatchNorm: false,
  },
  {
    name: '+ batch-norm gradient without Tile',
    groups: ['training', 'conv-backprop-input'],
    leanBatchNormGradient: true,
    fusedBatchNorm: false,
  },
  {
    name: '+ per-channel ops and reductions on XNNPACK',
    groups: ['training', 'conv-backprop-input', 'per-channel'],
    leanBatchNormGradient: true,
    fusedBatchNorm: false,
  },
  {
    name: '+ Identity shares memory',
    groups: ['training', 'conv-backprop-input', 'per-channel', 'shared-identity'],
    leanBatchNormGradient: true,
    fusedBatchNorm: false,
  },
  {
    name: '+ one-op training batch norm (= what ensureBackend installs)',
    groups: ['training', 'conv-backprop-input', 'per-channel', 'shared-identity'],
    leanBatchNormGradient: true,
    fusedBatchNorm: true,
  },
];

/** Starts wasm with `threads` threads and installs exactly what `stage` lists. */
export async function setUpStage(stage: Stage, threads: number): Promise<{ threads: number }> {
  const started = await startWasmBackend(threads);
  registerWasmKernels(stage.groups);
  await import('@tensorflow/tfjs-layers');
  if (stage.leanBatchNormGradient) registerBatchNormGradient();
  if (stage.fusedBatchNorm) installFusedBatchNorm();
  return started;
}
