// matMul + bias + activation as one op (tf.js's fused.matMul): bias and ReLU applied in place on
// the product, so a Dense layer allocates and dispatches one tensor instead of three. Not a
// public op; Dense uses it for rank-2 input.
import { InvalidArgumentError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { kernels } from '../backend/registry.js';
import type { FusedActivation } from '../backend/kernels.js';
import { runOp1, type OpDef } from './engine.js';
import { matMul, matMulOp } from './linalg.js';
import { reluGrad } from './relu-grad.js';
import { sum } from './reduction.js';

interface Attrs {
  activation: FusedActivation;
}

/** Inputs [x [N, K], kernel [K, U]] or with bias [U] third. */
export const fusedDenseOp: OpDef<Attrs> = {
  name: 'fusedDense',
  infer(inputs, { activation }) {
    const [x, w, bias] = inputs;
    if (x!.shape.length !== 2 || w!.shape.length !== 2) {
      throw new InvalidArgumentError(`Dense: the fused product takes x [batch, inputs] and a kernel [inputs, units], got [${x!.shape.join(',')}] and [${w!.shape.join(',')}].`);
    }
    const [spec] = matMulOp.infer([x!, w!], { transposeA: false, transposeB: false });
    const units = w!.shape[1]!;
    if (bias && (bias.dtype !== spec!.dtype || bias.shape.length !== 1 || bias.shape[0] !== units)) {
      throw new InvalidArgumentError(`Dense: bias must be ${spec!.dtype} [${units}], got ${bias.dtype} [${bias.shape.join(',')}].`);
    }
    if (activation !== 'linear' && activation !== 'relu') throw new InvalidArgumentError(`Dense: the fused activation must be 'linear' or 'relu', got '${String(activation)}'.`);
    return [spec!];
  },
  kernel(inputs, [out], { activation }) {
    const [x, w, bias] = inputs;
    kernels().matMul(x!, w!, out!, false, false);
    if (bias || activation !== 'linear') kernels().biasActivation(out!, bias ?? null, activation, out!);
  },
  grad([dy], inputs, [y], { activation }, needed) {
    const [x, w, bias] = inputs;
    const dz = activation === 'relu' ? reluGrad(dy!, y!) : dy!;
    const grads: (Tensor | null)[] = [
      needed?.[0] === false ? null : matMul(dz, w!, false, true),
      needed?.[1] === false ? null : matMul(x!, dz, true, false),
    ];
    if (bias) grads.push(needed?.[2] === false ? null : sum(dz, 0));
    return grads;
  },
};

/** activation(x·kernel + bias) for x [batch, inputs] (bias null: none). Same values as the three ops. */
export function fusedDense(x: Tensor, kernel: Tensor, bias: Tensor | null, activation: FusedActivation): Tensor {
  return runOp1(fusedDenseOp, bias ? [x, kernel, bias] : [x, kernel], { activation });
}
