import { Identity, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * Identity (tf.clone) sharing the input's memory instead of copying it, as the cpu and webgl
 * backends do: tfjs tensors are immutable, and wasm counts references per buffer (as its Reshape
 * already relies on). It matters because every custom-gradient op (fused conv, fused matmul)
 * clones the tensors it saves for the backward pass — full activations, every step.
 */
export const sharedIdentityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: 'wasm',
  kernelFunc: (({ inputs, backend }: { inputs: { x: TensorInfo }; backend: BackendWasm }) => {
    const { x } = inputs;
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  }) as unknown as KernelFunc,
};
