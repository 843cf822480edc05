import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

type Layer = tfl.layers.Layer;
type Activation = 'linear' | 'relu';
/** Zeros before/after along height, then width (a ZeroPadding2D's config). */
type SpatialPadding = [[number, number], [number, number]];

/** One step of the compiled graph: which layer outputs it reads and how it computes its own. */
interface Step {
  name: string;
  inputs: string[];
  run(inputs: tf.Tensor[]): tf.Tensor;
}

/** A model's forward pass for inference with every Conv → BN (→ ReLU) folded into one fused conv. */
export interface InferenceGraph {
  /** Outputs of the named layers for a batch (call inside tf.tidy). */
  run(x: tf.Tensor4D): tf.Tensor[];
  /** Frees the folded weights (the model's own weights are untouched). */
  dispose(): void;
}

/**
 * Compiles `model` into an inference-only graph that returns the outputs of `outputs` (layer
 * names): BN statistics are folded into the preceding convolution (W·γ/√(σ²+ε), β − μ·γ/√(σ²+ε))
 * and a following ReLU becomes the conv's fused activation, so BN costs nothing at eval time. A
 * ZeroPadding2D whose only consumer is a 'valid' conv becomes that conv's explicit padding.
 * Returns null for a model with a layer it does not know; callers then use the layers path.
 * The folded weights are a snapshot: compile again after the weights change.
 */
export function compileInference(model: tfl.LayersModel, outputs: string[]): InferenceGraph | null {
  const consumers = new Map<string, Layer[]>();
  for (const layer of model.layers)
    for (const input of inboundOf(layer)) consumers.set(input.name, [...(consumers.get(input.name) ?? []), layer]);
  const only = (layer: Layer) => (consumers.get(layer.name)?.length === 1 ? consumers.get(layer.name)![0]! : null);
  const owned: tf.Tensor[] = [];
  const alias = new Map<string, string>();
  const steps: Step[] = [];
  const padBefore = new Map<string, SpatialPadding>();
  try {
    for (const layer of model.layers) {
      const inputs = inboundOf(layer).map((l) => alias.get(l.name) ?? l.name);
      const kind = layer.getClassName();
      if (kind === 'InputLayer') continue;
      if (alias.has(layer.name)) continue;
      const next = only(layer);
      if (kind === 'ZeroPadding2D' && next?.getClassName() === 'Conv2D' && !outputs.includes(layer.name)) {
        const padding = zeroPaddingOf(layer);
        if (padding && next.getConfig()['padding'] === 'valid') {
          padBefore.set(next.name, padding);
          alias.set(layer.name, inputs[0]!);
          continue;
        }
      }
      if (kind === 'Conv2D') {
        const bn = only(layer)?.getClassName() === 'BatchNormalization' && !outputs.includes(layer.name) ? only(layer)! : null;
        const relu = bn && isRelu(only(bn)) && !outputs.includes(bn.name) ? only(bn)! : null;
        const last = relu ?? bn ?? layer;
        const step = convStep(
          layer,
          bn,
          relu ? 'relu' : 'linear',
          { name: last.name, inputs, pad: padBefore.get(layer.name) },
          owned,
        );
        if (!step) return abandon(owned);
        for (const folded of [bn, relu]) if (folded) alias.set(folded.name, last.name);
        steps.push(step);
        continue;
      }
      const step = simpleStep(layer, inputs);
      if (!step) return abandon(owned);
      steps.push(step);
    }
  } catch {
    return abandon(owned);
  }
  const wanted = outputs.map((name) => alias.get(name) ?? name);
  if (wanted.some((name) => !steps.some((s) => s.name === name))) return abandon(owned);
  const inputName = model.inputLayers[0]!.name;
  return {
    run(x) {
      const values = new Map<string, tf.Tensor>([[inputName, x]]);
      for (const step of steps) values.set(step.name, step.run(step.inputs.map((i) => values.get(i)!)));
      return wanted.map((name) => values.get(name)!);
    },
    dispose: () => tf.dispose(owned),
  };
}

function abandon(owned: tf.Tensor[]): null {
  tf.dispose(owned);
  return null;
}

function inboundOf(layer: Layer): Layer[] {
  return layer.inboundNodes.flatMap((node) => node.inboundLayers);
}

function isRelu(layer: Layer | null): boolean {
  if (!layer) return false;
  const config = layer.getConfig();
  if (layer.getClassName() === 'ReLU') return config['maxValue'] == null;
  return layer.getClassName() === 'Activation' && config['activation'] === 'relu';
}

function zeroPaddingOf(layer: Layer): SpatialPadding | null {
  const c = layer.getConfig();
  const p = c['padding'] as SpatialPadding | undefined;
  if (c['dataFormat'] !== 'channelsLast' || !Array.isArray(p?.[0]) || !Array.isArray(p?.[1])) return null;
  return p;
}

function convStep(
  conv: Layer,
  bn: Layer | null,
  activation: Activation,
  at: { name: string; inputs: string[]; pad: SpatialPadding | undefined },
  owned: tf.Tensor[],
): Step | null {
  const c = conv.getConfig();
  const dilation = [c['dilationRate']].flat() as number[];
  if (c['dataFormat'] !== 'channelsLast' || dilation.some((d) => d !== 1)) return null;
  if (c['activation'] !== 'linear' && (bn || c['activation'] !== 'relu')) return null;
  const strides = [c['strides']].flat() as number[];
  const padding = at.pad ? ([[0, 0], ...at.pad, [0, 0]] as tf.backend_util.ExplicitPadding) : (c['padding'] as 'same' | 'valid');
  const [kernel, convBias] = conv.weights.map((w) => w.read());
  const { filter, bias } = tf.tidy(() => foldBatchNorm(kernel as tf.Tensor4D, (convBias ?? null) as tf.Tensor1D | null, bn));
  owned.push(filter, bias);
  const act: Activation = bn ? activation : (c['activation'] as Activation);
  return {
    name: at.name,
    inputs: at.inputs,
    run: ([x]) =>
      tf.fused.conv2d({
        x: x as tf.Tensor4D,
        filter,
        strides: [strides[0]!, strides[1] ?? strides[0]!],
        pad: padding,
        bias,
        activation: act,
      }),
  };
}

/** W' = W·s and b' = (b − μ)·s + β with s = γ/√(σ² + ε); without BN, the conv's own weights (bias 0 if none). */
function foldBatchNorm(
  kernel: tf.Tensor4D,
  bias: tf.Tensor1D | null,
  bn: Layer | null,
): { filter: tf.Tensor4D; bias: tf.Tensor1D } {
  const outChannels = kernel.shape[3];
  const b = bias ?? tf.zeros([outChannels]);
  if (!bn) return { filter: tf.clone(kernel), bias: tf.clone(b) as tf.Tensor1D };
  const cfg = bn.getConfig();
  if (cfg['axis'] !== -1 && cfg['axis'] !== 3) throw new Error('BN over a non-channel axis');
  const byName = new Map(bn.weights.map((w) => [w.originalName.split('/').pop()!, w.read()]));
  const gamma = byName.get('gamma') ?? tf.ones([outChannels]);
  const beta = byName.get('beta') ?? tf.zeros([outChannels]);
  const scale = tf.div(gamma, tf.sqrt(tf.add(byName.get('moving_variance')!, cfg['epsilon'] as number)));
  return {
    filter: tf.mul(kernel, scale) as tf.Tensor4D,
    bias: tf.add(tf.mul(tf.sub(b, byName.get('moving_mean')!), scale), beta) as tf.Tensor1D,
  };
}

function simpleStep(layer: Layer, inputs: string[]): Step | null {
  const c = layer.getConfig();
  const name = layer.name;
  switch (layer.getClassName()) {
    case 'ReLU':
    case 'Activation':
      return isRelu(layer) ? { name, inputs, run: ([x]) => tf.relu(x!) } : null;
    case 'Add':
      return { name, inputs, run: (xs) => tf.addN(xs) };
    case 'Dropout':
      return { name, inputs, run: ([x]) => x! };
    case 'ZeroPadding2D': {
      const p = zeroPaddingOf(layer);
      return p ? { name, inputs, run: ([x]) => tf.pad(x!, [[0, 0], ...p, [0, 0]]) } : null;
    }
    case 'BatchNormalization': {
      if (c['axis'] !== -1 && c['axis'] !== 3) return null;
      const w = new Map(layer.weights.map((v) => [v.originalName.split('/').pop()!, v.read()]));
      const eps = c['epsilon'] as number;
      return {
        name,
        inputs,
        run: ([x]) => tf.batchNorm(x!, w.get('moving_mean')!, w.get('moving_variance')!, w.get('beta'), w.get('gamma'), eps),
      };
    }
    case 'MaxPooling2D': {
      const pool = [c['poolSize']].flat() as number[];
      const strides = [c['strides'] ?? c['poolSize']].flat() as number[];
      if (c['dataFormat'] !== 'channelsLast') return null;
      const pad = c['padding'] as 'same' | 'valid';
      return {
        name,
        inputs,
        run: ([x]) =>
          tf.maxPool(x as tf.Tensor4D, [pool[0]!, pool[1] ?? pool[0]!], [strides[0]!, strides[1] ?? strides[0]!], pad),
      };
    }
    case 'GlobalAveragePooling2D':
      return c['dataFormat'] === 'channelsLast' && !c['keepDims'] ? { name, inputs, run: ([x]) => tf.mean(x!, [1, 2]) } : null;
    case 'Dense': {
      if (c['activation'] !== 'linear') return null;
      const [kernel, bias] = layer.weights.map((w) => w.read());
      return {
        name,
        inputs,
        run: ([x]) => tf.fused.matMul({ a: x as tf.Tensor2D, b: kernel as tf.Tensor2D, ...(bias ? { bias } : {}) }),
      };
    }
    default:
      return null;
  }
}
