import { kernels } from '../backend/registry.js';
import { InvalidArgumentError } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { Variable } from '../core/variable.js';
import { toTensor, type TensorLike } from '../ops/creation.js';
import { currentGraph, suspendGraphs } from './graph.js';
import { SymbolicTensor } from './symbolic.js';
import { GraphVariable, assignNode } from './variable.js';

type Mode = 'assign' | 'add' | 'sub';

/**
 * Updates an eager variable in place of `Variable.assign*`: float32 `add`/`sub` are computed by
 * the active backend's kernel (a training step's updates are the largest element-wise work of a
 * small model; the Variable's own loop copies and then walks the whole value in JavaScript). The
 * kernel writes into the variable's own buffer unless a view shares it (copy-on-write), so a
 * training step allocates nothing for its updates. Mismatched shapes or dtypes go through the
 * Variable, which names them.
 */
export function updateVariable(v: Variable, mode: Mode, value: Tensor): void {
  if (mode === 'assign' || v.dtype !== 'float32' || value.dtype !== v.dtype || !shapesEqual(v.shape, value.shape)) {
    if (mode === 'assign') v.assign(value);
    else if (mode === 'add') v.assignAdd(value);
    else v.assignSub(value);
    return;
  }
  if (v.writableInPlace) {
    kernels().binary(mode, v, value, v);
    return;
  }
  const out = new Tensor(v.shape, v.dtype);
  kernels().binary(mode, v, value, out);
  v.replaceValues(out.values);
}

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
    updateVariable(ref, mode, v);
    return ref;
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
