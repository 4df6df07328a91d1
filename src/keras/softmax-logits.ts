// Which tensors are a softmax over their last axis, and of what. tf.keras computes a
// crossentropy on a softmax output from the softmax's input (its logits) instead of the clipped
// log of the probabilities (keras.backend's check of `output.op.type == 'Softmax'`): clipping at
// 1e-7 drops the gradient of confidently wrong samples, and the loss saturates at -log(1e-7).
import type { Tensor } from '../core/tensor.js';
import * as ops from '../ops/index.js';

const logitsOfSoftmax = new WeakMap<Tensor, Tensor>();

/** softmax(x) over the last axis, remembered as computed from the logits `x`. */
export function softmaxLastAxis(x: Tensor): Tensor {
  const y = ops.softmax(x, -1);
  logitsOfSoftmax.set(y, x);
  return y;
}

/** The logits `p` was computed from when it is a softmax output over its last axis, else undefined. */
export function softmaxLogits(p: Tensor): Tensor | undefined {
  return logitsOfSoftmax.get(p);
}
