import type { Tensor } from '../core/tensor.js';
import { runOp, type GradFn, type OpDef } from '../ops/engine.js';
import { lookupOpDef } from './op-registry.js';

interface DeferredAttrs {
  /** The differentiated op's definition name and attributes. */
  op: string;
  attrs: unknown;
  /** How many dys, inputs and outputs the node's inputs hold, in that order. */
  counts: [number, number, number];
  needed: boolean[];
}

/**
 * The gradient of an op whose gradient rule needs shapes the graph does not know yet (an
 * unknown batch dimension in a convolution, a pool, a slice, ...): a node that, when the graph
 * runs, calls the op's own gradient rule eagerly on the concrete tensors. Its outputs are the
 * gradients of the inputs marked needed (the others come out empty). It is not differentiable
 * itself: second-order gradients through such ops need fully known shapes.
 */
export const deferredGradOp: OpDef<DeferredAttrs> = {
  name: 'graph.deferredGrad',
  infer(inputs, { counts, needed }) {
    const xs = inputs.slice(counts[0], counts[0] + counts[1]);
    return xs.map((x, i) => (needed[i] ? { shape: x!.shape, dtype: x!.dtype } : { shape: [0], dtype: x!.dtype }));
  },
  forward(inputs, specs, { op, attrs, counts, needed }) {
    const def = lookupOpDef(op)!;
    const dys = inputs.slice(0, counts[0]);
    const xs = inputs.slice(counts[0], counts[0] + counts[1]);
    const ys = inputs.slice(counts[0] + counts[1]);
    const grads = (def.grad as GradFn<unknown>)(dys, xs, ys, attrs, needed);
    return specs.map((s, i) => grads[i] ?? runOp(zeroOp, [], { dtype: s.dtype })[0]!);
  },
  grad: 'nondifferentiable',
};

const zeroOp: OpDef<{ dtype: Tensor['dtype'] }> = {
  name: 'graph.empty',
  infer: (_i, { dtype }) => [{ shape: [0], dtype }],
  kernel() {},
  grad: 'nondifferentiable',
};

/** Builds a deferred-gradient node for `def` (inside the graph being built). */
export function deferredGrad(def: OpDef<unknown>, dys: readonly Tensor[], inputs: readonly Tensor[], outputs: readonly Tensor[], attrs: unknown, needed: readonly boolean[]): (Tensor | null)[] {
  const outs = runOp(deferredGradOp, [...dys, ...inputs, ...outputs], {
    op: def.name,
    attrs,
    counts: [dys.length, inputs.length, outputs.length],
    needed: [...needed],
  } as DeferredAttrs);
  return outs.map((o, i) => (needed[i] ? o : null));
}
