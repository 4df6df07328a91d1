import { InvalidArgumentError } from '../../../core/errors.js';
import type { Tensor } from '../../../core/tensor.js';
import { observers, runOp, type OpDef, type TensorSpec } from '../../../ops/engine.js';
import * as ops from '../../../ops/index.js';

// The element-wise half of one LSTM timestep (sigmoid gates, tanh candidate and output) fused
// into one op with a hand-written gradient. Composed from ops, a timestep costs ~13 kernel calls
// forward and ~25 backward on [batch, units] tensors, and at the sizes of a text model the time
// goes to dispatch and tape bookkeeping rather than arithmetic (see bench/lstm_profile.ts); fused,
// it is one call each way. The loops below are plain TypeScript over the tensors' memory, the
// same on every backend.

function checkSpecs(name: string, inputs: readonly TensorSpec[], count: number): [number, number] {
  const z = inputs[0]!;
  if (inputs.length !== count || z.shape.length !== 2 || z.shape[1]! % 4 !== 0) {
    throw new InvalidArgumentError(`${name}: expected z [batch, 4·units] and ${count - 1} tensors [batch, units], got ${inputs.map((s) => `[${s.shape.join(',')}]`).join(', ')}.`);
  }
  const [batch, width] = z.shape as [number, number];
  const units = width / 4;
  for (const s of inputs.slice(1)) {
    if (s.shape.length !== 2 || s.shape[0] !== batch || s.shape[1] !== units || s.dtype !== 'float32') {
      throw new InvalidArgumentError(`${name}: expected float32 [${batch},${units}], got ${s.dtype} [${s.shape.join(',')}].`);
    }
  }
  if (z.dtype !== 'float32') throw new InvalidArgumentError(`${name}: expected float32 z, got ${z.dtype}.`);
  return [batch, units];
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
/** tanh through one exp (faster than Math.tanh in V8; exact to float32 precision). */
const tanh = (x: number): number => 2 / (1 + Math.exp(-2 * x)) - 1;

/**
 * Backward of {@link lstmCellDef}: (c, acts, dh, dcNew) → (dz, dc), where acts [batch, 5·units]
 * holds the forward pass's i, f, c̃, o and tanh(c_new). Its own gradient is not defined.
 */
const lstmCellGradDef: OpDef<void> = {
  name: 'lstmCellGrad',
  infer(inputs) {
    const [c, acts, dh, dcNew] = inputs as [TensorSpec, TensorSpec, TensorSpec, TensorSpec];
    const [batch, units] = c.shape as [number, number];
    if (acts.shape[0] !== batch || acts.shape[1] !== 5 * units || [dh, dcNew].some((s) => s.shape[0] !== batch || s.shape[1] !== units)) {
      throw new InvalidArgumentError(`lstmCellGrad: inconsistent shapes ${inputs.map((s) => `[${s.shape.join(',')}]`).join(', ')}.`);
    }
    return [
      { shape: [batch, 4 * units], dtype: 'float32' },
      { shape: [batch, units], dtype: 'float32' },
    ];
  },
  kernel(inputs, outputs) {
    const [c, acts, dh, dcNew] = inputs.map((t) => t.values as Float32Array) as [Float32Array, Float32Array, Float32Array, Float32Array];
    const dz = outputs[0]!.values as Float32Array;
    const dc = outputs[1]!.values as Float32Array;
    const [batch, units] = inputs[0]!.shape as [number, number];
    for (let b = 0; b < batch; b++) {
      const ao = b * 5 * units;
      const zo = b * 4 * units;
      const so = b * units;
      for (let j = 0; j < units; j++) {
        const i = acts[ao + j]!;
        const f = acts[ao + units + j]!;
        const g = acts[ao + 2 * units + j]!;
        const o = acts[ao + 3 * units + j]!;
        const tc = acts[ao + 4 * units + j]!;
        const dhj = dh[so + j]!;
        const dct = dcNew[so + j]! + dhj * o * (1 - tc * tc);
        dz[zo + j] = dct * g * i * (1 - i);
        dz[zo + units + j] = dct * c[so + j]! * f * (1 - f);
        dz[zo + 2 * units + j] = dct * i * (1 - g * g);
        dz[zo + 3 * units + j] = dhj * tc * o * (1 - o);
        dc[so + j] = dct * f;
      }
    }
  },
  grad() {
    throw new InvalidArgumentError(
      'LSTM: second-order gradients through the fused LSTM cell are not available; record with nested GradientTapes (the layer then uses its composite form).',
    );
  },
};

/**
 * One LSTM timestep with sigmoid gates and tanh activations: z = [i, f, c̃, o] pre-activations
 * [batch, 4·units] and the cell state c [batch, units] → [h, c] of the next step, plus the
 * activations [batch, 5·units] (i, f, c̃, o, tanh c) that the gradient reuses.
 */
const lstmCellDef: OpDef<void> = {
  name: 'lstmCell',
  infer(inputs) {
    const [batch, units] = checkSpecs('lstmCell', inputs, 2);
    return [
      { shape: [batch, units], dtype: 'float32' },
      { shape: [batch, units], dtype: 'float32' },
      { shape: [batch, 5 * units], dtype: 'float32' },
    ];
  },
  kernel(inputs, outputs) {
    const z = inputs[0]!.values as Float32Array;
    const acts = outputs[2]!.values as Float32Array;
    const c = inputs[1]!.values as Float32Array;
    const h = outputs[0]!.values as Float32Array;
    const cOut = outputs[1]!.values as Float32Array;
    const [batch, width] = inputs[0]!.shape as [number, number];
    const units = width / 4;
    for (let b = 0; b < batch; b++) {
      const zo = b * width;
      const ao = b * 5 * units;
      const so = b * units;
      for (let j = 0; j < units; j++) {
        const i = sigmoid(z[zo + j]!);
        const f = sigmoid(z[zo + units + j]!);
        const g = tanh(z[zo + 2 * units + j]!);
        const o = sigmoid(z[zo + 3 * units + j]!);
        const cNew = f * c[so + j]! + i * g;
        const tc = tanh(cNew);
        cOut[so + j] = cNew;
        h[so + j] = o * tc;
        acts[ao + j] = i;
        acts[ao + units + j] = f;
        acts[ao + 2 * units + j] = g;
        acts[ao + 3 * units + j] = o;
        acts[ao + 4 * units + j] = tc;
      }
    }
  },
  grad(dys, inputs, outputs) {
    const zeros = (t: Tensor) => ops.zerosLike(t);
    const dh = dys[0] ?? zeros(outputs[0]!);
    const dc = dys[1] ?? zeros(outputs[1]!);
    const [dz, dcPrev] = runOp(lstmCellGradDef, [inputs[1]!, outputs[2]!, dh, dc], undefined);
    return [dz!, dcPrev!];
  },
};

/**
 * Whether the fused recurrent ops (this cell, and the LSTM/GRU sequence ops) can run: float32
 * and at most one gradient tape recording (nested tapes ask for higher-order gradients, which only
 * the composite form provides). Graphs (traced steps included) use them too: their gradients are
 * first-order ops like any other.
 */
export function canFuseRecurrent(z: Tensor): boolean {
  return observers.length <= 1 && z.dtype === 'float32';
}

/** The fused LSTM timestep: [h, c] from the gate pre-activations z and the previous c. */
export function lstmCell(z: Tensor, c: Tensor): [Tensor, Tensor] {
  const [h, cNew] = runOp(lstmCellDef, [z, c], undefined);
  return [h!, cNew!];
}
