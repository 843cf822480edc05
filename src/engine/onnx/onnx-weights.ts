import type * as tfl from '@tensorflow/tfjs-layers';

/** A BatchNormalization layer's parameters (γ = 1 and β = 0 where the layer has none). */
export interface BatchNormParams {
  gamma: Float32Array;
  beta: Float32Array;
  mean: Float32Array;
  variance: Float32Array;
  epsilon: number;
}

/** The values of a layer's weights by their short name (`kernel`, `bias`, `gamma`, `moving_mean`, …). */
export function weightsByName(layer: tfl.layers.Layer): Map<string, { shape: number[]; values: Float32Array }> {
  return new Map(
    layer.weights.map((w) => {
      const t = w.read();
      return [w.originalName.split('/').pop()!, { shape: t.shape, values: t.dataSync() as Float32Array }];
    }),
  );
}

/** The parameters of a channels-last BN layer. */
export function batchNormParams(layer: tfl.layers.Layer): BatchNormParams {
  const config = layer.getConfig();
  if (config['axis'] !== -1 && config['axis'] !== 3) {
    throw new Error(
      `ONNX export: BatchNormalization "${layer.name}" normalises axis ${String(config['axis'])}, not the channels`,
    );
  }
  const w = weightsByName(layer);
  const mean = w.get('moving_mean')!.values;
  return {
    gamma: w.get('gamma')?.values ?? new Float32Array(mean.length).fill(1),
    beta: w.get('beta')?.values ?? new Float32Array(mean.length),
    mean,
    variance: w.get('moving_variance')!.values,
    epsilon: config['epsilon'] as number,
  };
}

/** A tfjs conv kernel [kh, kw, in, out] as ONNX's [out, in, kh, kw]. */
export function convKernelToOihw(values: Float32Array, [kh, kw, cin, cout]: number[]): Float32Array {
  const out = new Float32Array(values.length);
  for (let y = 0; y < kh!; y++)
    for (let x = 0; x < kw!; x++)
      for (let i = 0; i < cin!; i++)
        for (let o = 0; o < cout!; o++)
          out[((o * cin! + i) * kh! + y) * kw! + x] = values[((y * kw! + x) * cin! + i) * cout! + o]!;
  return out;
}

/**
 * Folds BN into the preceding convolution, in double precision: W' = W·s and b' = (b − μ)·s + β
 * with s = γ/√(σ² + ε) per output channel. `kernel` is OIHW.
 */
export function foldBatchNorm(
  kernel: Float32Array,
  bias: Float32Array | null,
  bn: BatchNormParams,
): { kernel: Float32Array; bias: Float32Array } {
  const channels = bn.mean.length;
  const perChannel = kernel.length / channels;
  const folded = new Float32Array(kernel.length);
  const foldedBias = new Float32Array(channels);
  for (let o = 0; o < channels; o++) {
    const scale = bn.gamma[o]! / Math.sqrt(bn.variance[o]! + bn.epsilon);
    for (let j = 0; j < perChannel; j++) folded[o * perChannel + j] = kernel[o * perChannel + j]! * scale;
    foldedBias[o] = ((bias?.[o] ?? 0) - bn.mean[o]!) * scale + bn.beta[o]!;
  }
  return { kernel: folded, bias: foldedBias };
}
