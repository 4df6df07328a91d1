import { InvalidArgumentError } from '../../../core/errors.js';
import type { Tensor } from '../../../core/tensor.js';
import { kernels } from '../../../backend/registry.js';
import { runOp, type OpDef, type TensorSpec } from '../../../ops/engine.js';
import * as ops from '../../../ops/index.js';

// The whole time loop of an LSTM layer with the Keras default activations as one op each way
// (RecurrentKernels in src/backend/kernels.ts). Per timestep, the op-by-op form slices the input
// projection, runs the recurrent matMul, the add and the fused cell, and records all of them on the
// tape; at a text model's sizes that bookkeeping cost more than the arithmetic. As one op the
// native backend runs the loop in C++ (native/lstm.cc), and backward computes the recurrent
// kernel's gradient as a single product over all timesteps.

const shapeText = (specs: readonly TensorSpec[]): string => specs.map((s) => `${s.dtype} [${s.shape.join(',')}]`).join(', ');

function expectShape(op: string, name: string, spec: TensorSpec, shape: readonly number[]): void {
  if (spec.dtype !== 'float32' || spec.shape.length !== shape.length || spec.shape.some((d, i) => d !== shape[i])) {
    throw new InvalidArgumentError(`${op}: expected ${name} float32 [${shape.join(',')}], got ${spec.dtype} [${spec.shape.join(',')}].`);
  }
}

const lstmSequenceGradDef: OpDef<void> = {
  name: 'lstmSequenceGrad',
  infer(inputs) {
    const hs = inputs[3];
    if (inputs.length !== 7 || hs!.shape.length !== 3) {
      throw new InvalidArgumentError(`lstmSequenceGrad: expected u, h0, c0, hs, saved, dhs, dcT, got ${shapeText(inputs)}.`);
    }
    const [batch, time, units] = hs!.shape as [number, number, number];
    const names = ['u', 'h0', 'c0', 'hs', 'saved', 'dhs', 'dcT'];
    const shapes = [[units, 4 * units], [batch, units], [batch, units], [batch, time, units], [time, batch, 6 * units], [batch, time, units], [batch, units]];
    inputs.forEach((s, i) => expectShape('lstmSequenceGrad', names[i]!, s, shapes[i]!));
    return [
      { shape: [batch, time, 4 * units], dtype: 'float32' },
      { shape: [units, 4 * units], dtype: 'float32' },
      { shape: [batch, units], dtype: 'float32' },
      { shape: [batch, units], dtype: 'float32' },
    ];
  },
  kernel(inputs, outputs) {
    const [u, h0, c0, hs, saved, dhs, dcT] = inputs as [Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor];
    const [dxz, du, dh0, dc0] = outputs as [Tensor, Tensor, Tensor, Tensor];
    kernels().lstmSequenceGrad(u, h0, c0, hs, saved, dhs, dcT, dxz, du, dh0, dc0);
  },
  grad() {
    throw new InvalidArgumentError(
      'LSTM: second-order gradients through the fused LSTM sequence are not available; record with nested GradientTapes (the layer then uses its op-by-op form).',
    );
  },
};

/** xz [B, T, 4H], u [H, 4H], h0 and c0 [B, H] → hs [B, T, H], cT [B, H], saved [T, B, 6H]. */
const lstmSequenceDef: OpDef<void> = {
  name: 'lstmSequence',
  infer(inputs) {
    const [xz] = inputs;
    if (inputs.length !== 4 || xz!.shape.length !== 3 || xz!.shape[2]! % 4 !== 0) {
      throw new InvalidArgumentError(`lstmSequence: expected xz [batch, time, 4·units], u, h0 and c0, got ${shapeText(inputs)}.`);
    }
    const [batch, time, width] = xz!.shape as [number, number, number];
    const units = width / 4;
    expectShape('lstmSequence', 'xz', xz!, [batch, time, width]);
    expectShape('lstmSequence', 'u (the recurrent kernel)', inputs[1]!, [units, width]);
    expectShape('lstmSequence', 'h0', inputs[2]!, [batch, units]);
    expectShape('lstmSequence', 'c0', inputs[3]!, [batch, units]);
    return [
      { shape: [batch, time, units], dtype: 'float32' },
      { shape: [batch, units], dtype: 'float32' },
      { shape: [time, batch, 6 * units], dtype: 'float32' },
    ];
  },
  kernel(inputs, outputs) {
    const [xz, u, h0, c0] = inputs as [Tensor, Tensor, Tensor, Tensor];
    const [hs, cT, saved] = outputs as [Tensor, Tensor, Tensor];
    kernels().lstmSequence(xz, u, h0, c0, hs, cT, saved);
  },
  grad(dys, inputs, outputs) {
    const [, u, h0, c0] = inputs as [Tensor, Tensor, Tensor, Tensor];
    const [hs, cT, saved] = outputs as [Tensor, Tensor, Tensor];
    const dhs = dys[0] ?? ops.zerosLike(hs);
    const dcT = dys[1] ?? ops.zerosLike(cT);
    const [dxz, du, dh0, dc0] = runOp(lstmSequenceGradDef, [u, h0, c0, hs, saved, dhs, dcT], undefined);
    return [dxz!, du!, dh0!, dc0!];
  },
};

/**
 * An LSTM layer's time loop with sigmoid gates and tanh activations, as one op: from the input
 * projections xz [batch, time, 4·units] (x·kernel + bias of every step), the recurrent kernel and
 * the initial states → the h of every step [batch, time, units] and the last cell state.
 * Differentiable once (with respect to all four inputs).
 */
export function lstmSequence(xz: Tensor, recurrentKernel: Tensor, h0: Tensor, c0: Tensor): [Tensor, Tensor] {
  const [hs, cT] = runOp(lstmSequenceDef, [xz, recurrentKernel, h0, c0], undefined);
  return [hs!, cT!];
}
