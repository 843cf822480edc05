import * as tf from '@tensorflow/tfjs-core';

/**
 * Per-sample cross-entropy of `logits` [N, C] against integer `labels` [N], with label smoothing
 * ε as PyTorch's CrossEntropyLoss(label_smoothing=ε): target = (1 − ε)·onehot + ε/C.
 */
export function crossEntropyPerSample(logits: tf.Tensor2D, labels: tf.Tensor1D, labelSmoothing = 0): tf.Tensor1D {
  return tf.tidy(() => {
    const numClasses = logits.shape[1];
    const onehot = tf.cast(tf.oneHot(labels, numClasses), 'float32');
    const target = labelSmoothing > 0 ? tf.add(tf.mul(onehot, 1 - labelSmoothing), labelSmoothing / numClasses) : onehot;
    return tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(logits)), 1)) as tf.Tensor1D;
  });
}

/** How many rows have their label among the k largest logits. */
export function topKCorrect(logits: tf.Tensor2D, labels: tf.Tensor1D, k: number): tf.Scalar {
  return tf.tidy(() => {
    const kk = Math.min(k, logits.shape[1]);
    const { indices } = tf.topk(logits, kk);
    const hits = tf.equal(indices, tf.expandDims(labels, 1));
    return tf.sum(tf.cast(tf.any(hits, 1), 'int32'));
  });
}
