import { InvalidArgumentError } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { viewValues } from '../core/variable.js';
import { observers, runOp1, type OpDef, type OpObserver } from '../ops/engine.js';
import { GradientTape } from './tape.js';

function unconnected(fn: string): never {
  throw new InvalidArgumentError(
    `${fn}: the result of f does not depend on its input, so the gradient is undefined. Make sure f computes its output from the argument it receives.`,
  );
}

/**
 * Returns a function computing the gradient of `f` (summed over its output) with respect to its
 * single argument.
 *
 * @example
 * ```ts
 * const dSquare = nb.grad((x) => x.square());
 * dSquare(nb.tensor([1, 2, 3])).print(); // [2, 4, 6]
 * ```
 */
export function grad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => Tensor {
  return (x, dy) => {
    const tape = new GradientTape();
    tape.watch(x);
    const y = tape.record(() => f(x));
    return tape.gradient(y, x, { outputGradients: dy }) ?? unconnected('grad');
  };
}

/**
 * Like `grad` for functions of several tensors: returns one gradient per argument.
 * @example `nb.grads((a, b) => a.mul(b))([x, y])`
 */
export function grads(f: (...xs: Tensor[]) => Tensor): (xs: Tensor[], dy?: Tensor) => Tensor[] {
  return (xs, dy) => valueAndGrads(f)(xs, dy).grads;
}

/**
 * Returns a function computing both `f(x)` and its gradient.
 * @example `const {value, grad} = nb.valueAndGrad((x) => x.square().sum())(x)`
 */
export function valueAndGrad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => { value: Tensor; grad: Tensor } {
  return (x, dy) => {
    const tape = new GradientTape();
    tape.watch(x);
    const value = tape.record(() => f(x));
    return { value, grad: tape.gradient(value, x, { outputGradients: dy }) ?? unconnected('valueAndGrad') };
  };
}

/** `valueAndGrad` for functions of several tensors. */
export function valueAndGrads(f: (...xs: Tensor[]) => Tensor): (xs: Tensor[], dy?: Tensor) => { value: Tensor; grads: Tensor[] } {
  return (xs, dy) => {
    const tape = new GradientTape();
    tape.watch(xs);
    const value = tape.record(() => f(...xs));
    const gs = tape.gradient(value, xs, { outputGradients: dy });
    return { value, grads: gs.map((g) => g ?? unconnected('valueAndGrads')) };
  };
}

/** What a function wrapped by `customGradient` returns. */
export interface CustomGradientResult {
  value: Tensor;
  /** Given the gradient of `value`, returns the gradient of each input (in order). */
  gradFunc: (dy: Tensor) => Tensor | (Tensor | null)[];
}

/**
 * Defines a function with a hand-written gradient, like `tf.custom_gradient`. The ops inside `f`
 * are not recorded; tapes record the function as one op whose gradient is `gradFunc`.
 *
 * @example
 * ```ts
 * // Gradient clipping in the backward pass only.
 * const clipGrad = nb.customGradient((x: nb.Tensor) => ({
 *   value: nb.identity(x),
 *   gradFunc: (dy) => nb.clipByValue(dy, -1, 1),
 * }));
 * ```
 */
export function customGradient<T extends Tensor[]>(f: (...inputs: T) => CustomGradientResult): (...inputs: T) => Tensor {
  return (...inputs: T) => {
    const paused: OpObserver[] = observers.splice(0, observers.length);
    let result: CustomGradientResult;
    try {
      result = f(...inputs);
    } finally {
      observers.push(...paused);
    }
    const { value, gradFunc } = result;
    if (!(value instanceof Tensor)) {
      throw new InvalidArgumentError('customGradient: f must return {value: Tensor, gradFunc}.');
    }
    const def: OpDef<void> = {
      name: 'customGradient',
      infer: () => [{ shape: value.shape, dtype: value.dtype }],
      forward: () => [new Tensor(value.shape, value.dtype, viewValues(value))],
      grad: ([dy]) => {
        const g = gradFunc(dy!);
        const list = g instanceof Tensor ? [g] : g;
        if (list.length !== inputs.length) {
          throw new InvalidArgumentError(
            `customGradient: gradFunc returned ${list.length} gradients for ${inputs.length} inputs; return one per input (null for none).`,
          );
        }
        return list;
      },
    };
    return runOp1(def, inputs, undefined);
  };
}
