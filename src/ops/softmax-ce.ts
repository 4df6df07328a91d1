// Sparse softmax cross-entropy as one op: the loss and the softmax it needs for the gradient come
// from one pass over the logits (SparseSoftmaxCrossEntropyWithLogits in TensorFlow), instead of
// logSoftmax, a one-hot, a product and a sum, each with its own tensor.
import { InvalidArgumentError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { kernels } from '../backend/registry.js';
import { runOp, type OpDef } from './engine.js';
import { expandDims, reshape } from './reshape.js';
import { add, mul, sub } from './arithmetic.js';
import { sum } from './reduction.js';
import { oneHot } from './one-hot.js';

/** logits [N, C] and int32 labels [N] → loss [N] and probs [N, C]. */
export const sparseSoftmaxCrossEntropyOp: OpDef<void> = {
  name: 'sparseSoftmaxCrossEntropy',
  infer([logits, labels]) {
    if (logits!.shape.length !== 2 || labels!.shape.length !== 1 || labels!.shape[0] !== logits!.shape[0] || labels!.dtype !== 'int32' || logits!.dtype !== 'float32') {
      throw new InvalidArgumentError(
        `sparseSoftmaxCrossEntropy: expected float32 logits [N, C] and int32 labels [N], got ${logits!.dtype} [${logits!.shape.join(',')}] and ${labels!.dtype} [${labels!.shape.join(',')}].`,
      );
    }
    return [
      { shape: [logits!.shape[0]!], dtype: 'float32' },
      { shape: logits!.shape.slice(), dtype: 'float32' },
    ];
  },
  kernel([logits, labels], [loss, probs]) {
    kernels().sparseSoftmaxCrossEntropy(logits!, labels!, loss!, probs!);
  },
  // d loss / d logits = probs − onehot(labels); a gradient reaching probs goes through softmax's
  // own rule. Written with ops, so second-order gradients work.
  grad([dLoss, dProbs], [, labels], [, probs]) {
    const classes = probs!.shape[1]!;
    let dLogits: Tensor | null = dLoss ? mul(sub(probs!, oneHot(labels!, classes)), expandDims(dLoss, -1)) : null;
    if (dProbs) {
      const viaSoftmax = mul(probs!, sub(dProbs, sum(mul(dProbs, probs!), -1, true)));
      dLogits = dLogits ? add(dLogits, viaSoftmax) : viaSoftmax;
    }
    return [dLogits, null];
  },
};

/** Per-example loss of logits [..., C] against int32 labels [...] (already range-checked). */
export function fusedSparseSoftmaxCrossEntropy(logits: Tensor, labels: Tensor): Tensor {
  const classes = logits.shape[logits.rank - 1]!;
  const outer = labels.shape;
  const n = labels.size;
  const [loss] = runOp(sparseSoftmaxCrossEntropyOp, [reshape(logits, [n, classes]), reshape(labels, [n])], undefined);
  return reshape(loss!, outer);
}
