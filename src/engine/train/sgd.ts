import * as tf from '@tensorflow/tfjs-core';

export interface SgdOptions {
  momentum: number;
  nesterov: boolean;
  /**
   * L2 weight decay as PyTorch's SGD(weight_decay=wd) applies it: wd·p is added to the gradient
   * before momentum (the same as adding (wd/2)·‖p‖² to the loss; not AdamW's decoupled decay).
   * Applied to conv and dense kernels only, not to BN γ/β or biases (timm's usual
   * no-decay-on-1-D-parameters rule), unless `decayAllParams`.
   */
  weightDecay: number;
  /** Decay every parameter, biases and BN γ/β too: PyTorch's default, which the official FixRes fine-tune uses. */
  decayAllParams?: boolean;
}

/** A parameter the optimiser updates, keyed by a name that is stable across processes. */
export interface Param {
  /** e.g. "s1b1_conv1/kernel" (the LayerVariable's originalName). */
  key: string;
  variable: tf.Variable;
}

/**
 * SGD with momentum (optionally Nesterov) exactly as torch.optim.SGD with dampening 0:
 * g ← ∇ + wd·p;  b ← μ·b + g;  d ← nesterov ? g + μ·b : b;  p ← p − lr·d.
 * Momentum buffers are explicit variables so a checkpoint can save and restore them.
 */
export class Sgd {
  readonly options: SgdOptions;
  #params: Param[];
  #buffers: Map<string, tf.Variable>;

  constructor(params: Param[], options: SgdOptions) {
    this.options = options;
    this.#params = params;
    this.#buffers = new Map(params.map((p) => [p.key, zerosVariable(p.variable)]));
  }

  get params(): readonly Param[] {
    return this.#params;
  }

  /** Applies one update from `grads` (keyed by tf variable name). Call inside tf.tidy. */
  apply(grads: tf.NamedTensorMap, lr: number): void {
    const { momentum, nesterov, weightDecay, decayAllParams } = this.options;
    for (const { key, variable } of this.#params) {
      const grad = grads[variable.name];
      if (!grad) continue;
      const decays = weightDecay > 0 && (decayAllParams || variable.rank > 1);
      const g = decays ? tf.add(grad, tf.mul(variable, weightDecay)) : grad;
      const buffer = this.#buffers.get(key)!;
      const b = tf.add(tf.mul(buffer, momentum), g);
      buffer.assign(b);
      const direction = nesterov ? tf.add(g, tf.mul(b, momentum)) : b;
      variable.assign(tf.sub(variable, tf.mul(direction, lr)));
    }
  }

  /** The momentum buffers, for checkpoints (the returned tensors belong to the optimiser). */
  slots(): tf.NamedTensorMap {
    return Object.fromEntries(this.#buffers);
  }

  /** Restores buffers saved by slots(); every key must be present with the same shape. */
  restore(saved: tf.NamedTensorMap): void {
    for (const [key, buffer] of this.#buffers) {
      const value = saved[key];
      if (!value) throw new Error(`The checkpoint has no momentum buffer for "${key}"`);
      if (!tf.util.arraysEqual(value.shape, buffer.shape)) {
        throw new Error(`Momentum buffer "${key}" has shape [${value.shape}] in the checkpoint, [${buffer.shape}] in the model`);
      }
      buffer.assign(value);
    }
  }

  dispose(): void {
    for (const buffer of this.#buffers.values()) buffer.dispose();
    this.#buffers.clear();
  }
}

/** The trainable parameters of a tfjs-layers model, keyed by their stable names. */
export function trainableParams(weights: readonly { originalName: string; read(): tf.Tensor }[]): Param[] {
  return weights.map((w) => ({ key: w.originalName, variable: w.read() as tf.Variable }));
}

function zerosVariable(like: tf.Tensor): tf.Variable {
  const zeros = tf.zerosLike(like);
  const variable = tf.variable(zeros, false);
  zeros.dispose();
  return variable;
}
