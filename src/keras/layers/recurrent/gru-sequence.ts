import { InvalidArgumentError } from '../../../core/errors.js';
import type { Tensor } from '../../../core/tensor.js';
import { kernels } from '../../../backend/registry.js';
import { runOp, type OpDef, type TensorSpec } from '../../../ops/engine.js';
import * as ops from '../../../ops/index.js';

// A GRU layer's whole time loop (Keras defaults: reset_after, sigmoid gates, tanh) as one op each
// way, for the same reason as lstm-sequence.ts: per timestep the op-by-op form records a matMul,
// a bias add, three splits and the gate ops, and at text-model sizes that bookkeeping costs more
// than the arithmetic.

function expectShape(op: string, name: string, spec: TensorSpec, shape: readonly number[]): void {
  if (spec.dtype !== 'float32' || spec.shape.length !== shape.length || spec.shape.some((d, i) => d !== shape[i])) {
    throw new InvalidArgumentError(`${op}: expected ${name} float32 [${shape.join(',')}], got ${spec.dtype} [${spec.shape.join(',')}].`);
  }
}

/** [u, h0, hs, saved, dhs] → [dxz, du, drb, dh0]. */
const gruSequenceGradDef: OpDef<void> = {
  name: 'gruSequenceGrad',
  infer(inputs) {
    const hs = inputs[2]!;
    if (inputs.length !== 5 || hs.shape.length !== 3) throw new InvalidArgumentError('gruSequenceGrad: expected u, h0, hs, saved and dhs.');
    const [batch, time, units] = hs.shape as [number, number, number];
    const shapes = [[units, 3 * units], [batch, units], [batch, time, units], [time, batch, 4 * units], [batch, time, units]];
    ['u', 'h0', 'hs', 'saved', 'dhs'].forEach((name, i) => expectShape('gruSequenceGrad', name, inputs[i]!, shapes[i]!));
    return [
      { shape: [batch, time, 3 * units], dtype: 'float32' },
      { shape: [units, 3 * units], dtype: 'float32' },
      { shape: [3 * units], dtype: 'float32' },
      { shape: [batch, units], dtype: 'float32' },
    ];
  },
  kernel(inputs, outputs) {
    const [u, h0, hs, saved, dhs] = inputs as [Tensor, Tensor, Tensor, Tensor, Tensor];
    const [dxz, du, drb, dh0] = outputs as [Tensor, Tensor, Tensor, Tensor];
    kernels().gruSequenceGrad(u, h0, hs, saved, dhs, dxz, du, drb, dh0);
  },
  grad() {
    throw new InvalidArgumentError(
      'GRU: second-order gradients through the fused GRU sequence are not available; record with nested GradientTapes (the layer then uses its op-by-op form).',
    );
  },
};

/** xz [B, T, 3H], u [H, 3H], rb [3H], h0 [B, H] → hs [B, T, H], saved [T, B, 4H]. */
const gruSequenceDef: OpDef<void> = {
  name: 'gruSequence',
  infer(inputs) {
    const xz = inputs[0]!;
    if (inputs.length !== 4 || xz.shape.length !== 3 || xz.shape[2]! % 3 !== 0) {
      throw new InvalidArgumentError(`gruSequence: expected xz [batch, time, 3·units], u, rb and h0, got ${inputs.map((s) => `[${s.shape.join(',')}]`).join(', ')}.`);
    }
    const [batch, time, width] = xz.shape as [number, number, number];
    const units = width / 3;
    expectShape('gruSequence', 'xz', xz, [batch, time, width]);
    expectShape('gruSequence', 'u (the recurrent kernel)', inputs[1]!, [units, width]);
    expectShape('gruSequence', 'rb (the recurrent bias)', inputs[2]!, [width]);
    expectShape('gruSequence', 'h0', inputs[3]!, [batch, units]);
    return [
      { shape: [batch, time, units], dtype: 'float32' },
      { shape: [time, batch, 4 * units], dtype: 'float32' },
    ];
  },
  kernel(inputs, outputs) {
    const [xz, u, rb, h0] = inputs as [Tensor, Tensor, Tensor, Tensor];
    const [hs, saved] = outputs as [Tensor, Tensor];
    kernels().gruSequence(xz, u, rb, h0, hs, saved);
  },
  grad(dys, inputs, outputs) {
    const [, u, , h0] = inputs as [Tensor, Tensor, Tensor, Tensor];
    const [hs, saved] = outputs as [Tensor, Tensor];
    const dhs = dys[0] ?? ops.zerosLike(hs);
    const [dxz, du, drb, dh0] = runOp(gruSequenceGradDef, [u, h0, hs, saved, dhs], undefined);
    return [dxz!, du!, drb!, dh0!];
  },
};

/**
 * A GRU layer's time loop (reset_after, sigmoid gates, tanh) as one op: from the input
 * projections xz [batch, time, 3·units] (x·kernel + input bias), the recurrent kernel, the
 * recurrent bias [3·units] and h0 → h of every step [batch, time, units]. Differentiable once.
 */
export function gruSequence(xz: Tensor, recurrentKernel: Tensor, recurrentBias: Tensor, h0: Tensor): Tensor {
  const [hs] = runOp(gruSequenceDef, [xz, recurrentKernel, recurrentBias, h0], undefined);
  return hs!;
}
