import { InvalidArgumentError } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { Variable } from '../core/variable.js';
import { toTensor, type TensorLike } from '../ops/creation.js';
import { currentGraph, suspendGraphs } from './graph.js';
import { SymbolicTensor } from './symbolic.js';
import { GraphVariable, assignNode } from './variable.js';

type Mode = 'assign' | 'add' | 'sub';

function update(mode: Mode, ref: Variable | GraphVariable, value: TensorLike): Tensor {
  if (ref instanceof GraphVariable) {
    return mode === 'assign' ? ref.assign(value) : mode === 'add' ? ref.assignAdd(value) : ref.assignSub(value);
  }
  if (!(ref instanceof Variable)) {
    throw new InvalidArgumentError(`assign: ref must be an nb.Variable or nb.v1.Variable, got ${(ref as unknown) instanceof Tensor ? 'a tensor' : typeof ref}.`);
  }
  const g = currentGraph();
  const v = value instanceof Tensor ? value : suspendGraphs(() => toTensor(value, 'assign', 'value', ref.dtype));
  if (g === null && !(v instanceof SymbolicTensor)) {
    return mode === 'assign' ? ref.assign(v) : mode === 'add' ? ref.assignAdd(v) : ref.assignSub(v);
  }
  if (g === null) throw new InvalidArgumentError(`assign: the value '${(v as SymbolicTensor).name}' is a graph tensor; call assign while its graph is the default.`);
  const target = g.lift(ref, 'assign').node;
  return assignNode(g, target, g.lift(v, 'assign'), mode).outputs[0]!;
}

/**
 * Sets a variable (TensorFlow's `tf.compat.v1.assign` / `var.assign`) in every mode: eagerly it
 * assigns now; while a graph is built (a `Session` graph or an `nb.function` trace) it adds an
 * update node that runs, in program order, each time the graph runs. Returns the new value.
 *
 * @example
 * ```ts
 * const step = nb.function((x: nb.Tensor, y: nb.Tensor) => {
 *   const tape = new nb.GradientTape();
 *   const loss = tape.record(() => lossOf(x, y));
 *   const [gw] = tape.gradient(loss, [w]);
 *   nb.v1.assignSub(w, nb.mul(gw!, 0.1));   // traced update of the eager variable w
 *   return loss;
 * });
 * ```
 */
export function assign(ref: Variable | GraphVariable, value: TensorLike): Tensor {
  return update('assign', ref, value);
}

/** `ref += delta` in every mode (see `assign`). */
export function assignAdd(ref: Variable | GraphVariable, delta: TensorLike): Tensor {
  return update('add', ref, delta);
}

/** `ref -= delta` in every mode (see `assign`). */
export function assignSub(ref: Variable | GraphVariable, delta: TensorLike): Tensor {
  return update('sub', ref, delta);
}
