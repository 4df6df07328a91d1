import type { DType } from '../core/dtype.js';
import { Tensor } from '../core/tensor.js';

/** What shape inference sees of a tensor. Graph mode will allow -1 for unknown dims. */
export interface TensorSpec {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/**
 * Gradient rule: given the gradients of the op's outputs (`dys`), its inputs and outputs, return
 * one gradient per input (null where an input has none). Written in ops, so it is itself
 * differentiable (higher-order gradients) and works in graph mode too. `needed[i]` says whether
 * input i's gradient is used; expensive rules (matMul, conv) skip the unneeded ones.
 */
export type GradFn<A> = (
  dys: readonly Tensor[],
  inputs: readonly Tensor[],
  outputs: readonly Tensor[],
  attrs: A,
  needed: readonly boolean[],
) => (Tensor | null)[];

/**
 * One op, defined once: validation and shape inference, how to compute it, and its gradient.
 */
export interface OpDef<A> {
  readonly name: string;
  /** Validates inputs and attributes and returns the output shapes and dtypes. */
  infer(inputs: readonly TensorSpec[], attrs: A): TensorSpec[];
  /** Fills the preallocated outputs by calling backend kernels. */
  kernel?(inputs: readonly Tensor[], outputs: readonly Tensor[], attrs: A): void;
  /** Produces the outputs without allocation (views sharing memory, e.g. reshape). Overrides `kernel`. */
  forward?(inputs: readonly Tensor[], specs: readonly TensorSpec[], attrs: A): Tensor[];
  /** The gradient rule, or 'nondifferentiable' (comparisons, argMax, casts to int, ...). */
  grad: GradFn<A> | 'nondifferentiable';
}

/** An executed op, as a gradient tape stores it. */
export interface OpRecord {
  readonly def: OpDef<any>;
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  readonly attrs: unknown;
}

/** Something that wants to see executed ops (gradient tapes). */
export interface OpObserver {
  observe(record: OpRecord): void;
}

/** Active observers, innermost last. Managed by autodiff. */
export const observers: OpObserver[] = [];

/** Builds graph nodes instead of running kernels (graph mode, src/graph). */
export type OpBuilder = (def: OpDef<any>, inputs: readonly Tensor[], attrs: unknown) => Tensor[];

/** The graph-mode hook: null in eager mode, which then costs one comparison per op. */
let opBuilder: OpBuilder | null = null;

/** Installs (or, with null, removes) the graph-mode hook. Internal: used by src/graph. @internal */
export function setOpBuilder(builder: OpBuilder | null): void {
  opBuilder = builder;
}

/** Whether ops are building graph nodes (graph mode) rather than running eagerly. @internal */
export function isBuildingGraph(): boolean {
  return opBuilder !== null;
}

/**
 * Runs an op eagerly: infer output specs, allocate, run the kernel, let active tapes record it.
 */
export function runOp<A>(def: OpDef<A>, inputs: readonly Tensor[], attrs: A): Tensor[] {
  if (opBuilder !== null) return opBuilder(def, inputs, attrs);
  const specs = def.infer(inputs, attrs);
  let outputs: Tensor[];
  if (def.forward !== undefined) {
    outputs = def.forward(inputs, specs, attrs);
  } else {
    outputs = new Array<Tensor>(specs.length);
    for (let i = 0; i < specs.length; i++) outputs[i] = new Tensor(specs[i]!.shape, specs[i]!.dtype);
    def.kernel!(inputs, outputs, attrs);
  }
  if (observers.length !== 0 && def.grad !== 'nondifferentiable') {
    const record: OpRecord = { def, inputs, outputs, attrs };
    for (let i = 0; i < observers.length; i++) observers[i]!.observe(record);
  }
  return outputs;
}

/** `runOp` for single-output ops. */
export function runOp1<A>(def: OpDef<A>, inputs: readonly Tensor[], attrs: A): Tensor {
  return runOp(def, inputs, attrs)[0]!;
}

/**
 * Runs `fn` with no tape recording (like `tf.stop_recording`): inference inside a training step
 * or an RL loop then costs no tape memory.
 */
export function withoutRecording<T>(fn: () => T): T {
  if (observers.length === 0) return fn();
  const saved = observers.splice(0, observers.length);
  try {
    return fn();
  } finally {
    observers.splice(0, observers.length, ...saved);
  }
}
