// Values a layer computes in JavaScript at every call (a seeded layer's per-call mask, an
// augmentation's random transformation) made traceable: inside a graph they become an op whose
// kernel runs the same JavaScript each time the graph runs, so a traced step draws fresh values
// at every step, in the same order as eager calls would.
import type { DType } from '../../../core/dtype.js';
import { Tensor } from '../../../core/tensor.js';
import { isBuildingGraph, runOp, type OpDef } from '../../../ops/engine.js';

type Produce = (inputs: readonly Tensor[], shape: readonly number[]) => Tensor;

interface PerRunAttrs {
  shapes: number[][];
}

/** The ops of one owner (a layer), by tag, so each trace of it reuses one definition. */
const defs = new WeakMap<object, Map<string, OpDef<PerRunAttrs>>>();

function defFor(owner: object, name: string, dtype: DType, inputs: number, write: (ins: readonly Tensor[], out: Tensor) => void): OpDef<PerRunAttrs> {
  let byName = defs.get(owner);
  if (byName === undefined) defs.set(owner, (byName = new Map()));
  let def = byName.get(name);
  if (def === undefined) {
    def = {
      // "random" keeps the graph passes from folding or merging it (see src/graph/passes.ts).
      name: `keras.random.${name}`,
      infer: (ins, { shapes }) => [{ shape: inputs > 0 ? ins[0]!.shape : shapes[0]!, dtype }],
      kernel: (ins, [out]) => write(ins, out!),
      grad: 'nondifferentiable',
    };
    byName.set(name, def);
  }
  return def;
}

/**
 * `produce(inputs, shape)` now when eager; while a graph is built, an op (named `name`, unique
 * per owner) that calls `produce` on the concrete inputs each time the graph runs. With no inputs
 * the output has `shape`; otherwise the first input's shape. The op keeps the first `produce`
 * given for its name, so it must depend only on its arguments and the owner's state. Not
 * differentiable: for masks, noise and augmentations that gradients do not flow through.
 *
 * @example
 * ```ts
 * const mask = perRun(this, `${this.name}/mask`, 'float32', [], [4, 8], (_, shape) => ops.dropout(ops.ones(shape), 0.5, {seed: next()}));
 * ```
 */
export function perRun(owner: object, name: string, dtype: DType, inputs: readonly Tensor[], shape: readonly number[], produce: Produce): Tensor {
  if (!isBuildingGraph()) return produce(inputs, shape);
  const write = (ins: readonly Tensor[], out: Tensor) => out.values.set(produce(ins, out.shape).values);
  return runOp(defFor(owner, name, dtype, inputs.length, write), inputs, { shapes: [[...shape]] })[0]!;
}

/**
 * `perRun` for a value with no inputs that `fill` writes straight into its (zeroed) output: a new
 * tensor of `shape` now when eager, or each time the graph runs.
 *
 * @example
 * ```ts
 * const noise = perRunFill(this, `${this.name}/noise`, 'float32', [4, 8], (out) => fillNoise(out.values));
 * ```
 */
export function perRunFill(owner: object, name: string, dtype: DType, shape: readonly number[], fill: (out: Tensor) => void): Tensor {
  if (!isBuildingGraph()) {
    const t = new Tensor([...shape], dtype);
    fill(t);
    return t;
  }
  return runOp(defFor(owner, name, dtype, 0, (_, out) => fill(out)), [], { shapes: [[...shape]] })[0]!;
}
