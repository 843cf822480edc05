import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Sgd } from '../../../src/engine/train/sgd';
import { liveTensors, useTestBackend } from '../../helpers/tf-backend';

beforeAll(useTestBackend);

/** torch.optim.SGD's update, written out in plain numbers. */
function torchSgd(p: number[], grads: number[][], o: { lr: number; momentum: number; nesterov: boolean; wd: number }) {
  const buf = p.map(() => 0);
  const out = [...p];
  for (const grad of grads) {
    for (let i = 0; i < out.length; i++) {
      const g = grad[i]! + o.wd * out[i]!;
      buf[i] = o.momentum * buf[i]! + g;
      const d = o.nesterov ? g + o.momentum * buf[i]! : buf[i]!;
      out[i] = out[i]! - o.lr * d;
    }
  }
  return out;
}

describe('Sgd', () => {
  it.each([false, true])('matches torch.optim.SGD step for step (nesterov %s, weight decay on kernels)', (nesterov) => {
    const before = liveTensors();
    const kernel = tf.tidy(() => tf.variable(tf.tensor2d([0.5, -1, 2, 0.25], [2, 2])));
    const bias = tf.tidy(() => tf.variable(tf.tensor1d([0.1, -0.2])));
    const sgd = new Sgd(
      [
        { key: 'dense/kernel', variable: kernel },
        { key: 'dense/bias', variable: bias },
      ],
      { momentum: 0.9, nesterov, weightDecay: 0.01 },
    );
    const grads = [
      [0.1, 0.2, -0.3, 0.4],
      [-0.5, 0.1, 0.0, 0.2],
      [0.3, 0.3, 0.3, -0.1],
    ];
    const biasGrads = [
      [1, -1],
      [0.5, 0.5],
      [-0.2, 0.1],
    ];
    grads.forEach((g, i) =>
      tf.tidy(() => sgd.apply({ [kernel.name]: tf.tensor2d(g, [2, 2]), [bias.name]: tf.tensor1d(biasGrads[i]!) }, 0.1)),
    );
    const expectKernel = torchSgd([0.5, -1, 2, 0.25], grads, { lr: 0.1, momentum: 0.9, nesterov, wd: 0.01 });
    const expectBias = torchSgd([0.1, -0.2], biasGrads, { lr: 0.1, momentum: 0.9, nesterov, wd: 0 });
    Array.from(kernel.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expectKernel[i]!, 6));
    Array.from(bias.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expectBias[i]!, 6));
    sgd.dispose();
    tf.dispose([kernel, bias]);
    expect(liveTensors()).toBe(before);
  });

  it('saves and restores its momentum buffers, refusing a mismatched shape', () => {
    const w = tf.variable(tf.ones([3]));
    const a = new Sgd([{ key: 'w', variable: w }], { momentum: 0.9, nesterov: false, weightDecay: 0 });
    tf.tidy(() => a.apply({ [w.name]: tf.tensor1d([1, 2, 3]) }, 0.1));
    const b = new Sgd([{ key: 'w', variable: w }], { momentum: 0.9, nesterov: false, weightDecay: 0 });
    b.restore(a.slots());
    expect(Array.from(b.slots()['w']!.dataSync())).toEqual([1, 2, 3]);
    expect(() => b.restore({ w: tf.zeros([2]) })).toThrow(/shape \[2\] in the checkpoint/);
    expect(() => b.restore({})).toThrow(/no momentum buffer for "w"/);
  });
});
