import { assertDTypeIn, type DType } from '../core/dtype.js';
import { InvalidArgumentError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { kernels } from '../backend/registry.js';
import { runOp1, type OpDef } from './engine.js';
import { toTensor, type TensorLike } from './creation.js';

interface OneHotAttrs {
  depth: number;
  onValue: number;
  offValue: number;
  dtype: DType;
}

const oneHotOp: OpDef<OneHotAttrs> = {
  name: 'oneHot',
  infer([indices], { depth, dtype }) {
    assertDTypeIn('oneHot', 'indices', indices!.dtype, ['int32']);
    return [{ shape: [...indices!.shape, depth], dtype }];
  },
  kernel([indices], [out], { depth, onValue, offValue }) {
    kernels().oneHot(indices!, depth, onValue, offValue, out!);
  },
  grad: 'nondifferentiable',
};

/**
 * One-hot encoding along a new last axis; indices outside [0, depth) give all `offValue`, as in
 * TensorFlow.
 *
 * @example
 * ```ts
 * nb.oneHot(nb.tensor([0, 2], [2], 'int32'), 3); // [[1, 0, 0], [0, 0, 1]]
 * ```
 */
export function oneHot(indices: TensorLike, depth: number, onValue = 1, offValue = 0, dtype: DType = 'float32'): Tensor {
  if (!Number.isInteger(depth) || depth < 0) {
    throw new InvalidArgumentError(`oneHot: depth must be a non-negative integer, got ${depth}.`);
  }
  const t = toTensor(indices, 'oneHot', 'indices', 'int32');
  return runOp1(oneHotOp, [t], { depth, onValue, offValue, dtype });
}
