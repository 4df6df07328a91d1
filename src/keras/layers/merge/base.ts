import { DTypeError, ShapeError } from '../../../core/errors.js';
import type { Tensor } from '../../../core/tensor.js';
import { Layer, LayerError, type CallArgs } from '../../engine/layer.js';
import type { SymbolicShape } from '../../engine/symbolic.js';

/** Keras-style shape text: `(None, 3, 4)`. */
export function showShape(shape: SymbolicShape): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`;
}

/**
 * Combines batch sizes that may broadcast: equal, unknown (null) or 1. Returns the merged size, or
 * undefined when two known sizes conflict.
 */
export function mergeBatch(sizes: readonly (number | null | undefined)[]): number | null | undefined {
  let known: number | null = null;
  let unknown = false;
  for (const s of sizes) {
    if (s === null || s === undefined) unknown = true;
    else if (s !== 1) {
      if (known !== null && known !== s) return undefined;
      known = s;
    }
  }
  if (known !== null) return known;
  return unknown ? null : 1;
}

/**
 * The base of the layers that merge a list of tensors (Add, Concatenate, Dot, ...). Subclasses
 * implement `outputShapeFor` (which also validates the shapes) and `mergeFunction`.
 */
export abstract class Merge extends Layer {
  protected override readonly acceptsList = true;
  /** Allowed number of inputs. */
  protected readonly minInputs: number = 1;
  protected readonly maxInputs: number = Infinity;

  /** Validates the input shapes and returns the output shape. */
  protected abstract outputShapeFor(shapes: readonly SymbolicShape[]): SymbolicShape;

  /** Computes the merged tensor from validated inputs. */
  protected abstract mergeFunction(inputs: Tensor[]): Tensor;

  /** Throws unless `inputShape` is a list of shapes of allowed length; returns it. */
  protected shapeList(inputShape: SymbolicShape | readonly SymbolicShape[]): SymbolicShape[] {
    const isList = inputShape.length > 0 && inputShape.every((s) => Array.isArray(s));
    if (!isList) {
      throw new LayerError(
        `${this.getClassName()} '${this.name}' must be called on a list of tensors (e.g. layer.apply([a, b])), got a single input of shape ${showShape(inputShape as SymbolicShape)}.`,
      );
    }
    const shapes = inputShape as unknown as SymbolicShape[];
    this.checkCount(shapes.length);
    return shapes;
  }

  private checkCount(n: number): void {
    if (n < this.minInputs || n > this.maxInputs) {
      const expected =
        this.minInputs === this.maxInputs
          ? `exactly ${this.minInputs}`
          : this.maxInputs === Infinity
            ? `at least ${this.minInputs}`
            : `${this.minInputs} to ${this.maxInputs}`;
      throw new LayerError(`${this.getClassName()} '${this.name}' expects ${expected} inputs, got ${n}.`);
    }
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    this.outputShapeFor(this.shapeList(inputShape));
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    if (!Array.isArray(inputs)) {
      throw new LayerError(
        `${this.getClassName()} '${this.name}' must be called on a list of tensors (e.g. layer.apply([a, b])), got a single tensor of shape ${showShape(inputs.shape)}.`,
      );
    }
    this.checkCount(inputs.length);
    const dtype = inputs[0]!.dtype;
    inputs.forEach((t, i) => {
      if (t.dtype !== dtype) {
        throw new DTypeError(
          `${this.getClassName()} '${this.name}': all inputs must have the same dtype, but input 0 is ${dtype} and input ${i} is ${t.dtype}; cast them with nb.cast.`,
        );
      }
    });
    this.outputShapeFor(inputs.map((t) => t.shape));
    return this.mergeFunction(inputs);
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    return this.outputShapeFor(this.shapeList(inputShape));
  }
}

/**
 * Merge layers that combine inputs element-wise: all inputs have the same shape, except that the
 * batch dim may broadcast (a batch of 1 against a batch of N).
 */
export abstract class ElementwiseMerge extends Merge {
  protected outputShapeFor(shapes: readonly SymbolicShape[]): SymbolicShape {
    const first = shapes[0]!;
    const fail = (i: number): never => {
      throw new ShapeError(
        `${this.getClassName()} '${this.name}': all inputs must have the same shape (only the batch dim may broadcast), but input 0 has shape ${showShape(first)} and input ${i} has shape ${showShape(shapes[i]!)}. Got shapes: ${shapes.map(showShape).join(', ')}.`,
      );
    };
    const out: (number | null)[] = [];
    shapes.forEach((s, i) => {
      if (s.length !== first.length) fail(i);
    });
    if (first.length === 0) return [];
    const batch = mergeBatch(shapes.map((s) => s[0]));
    if (batch === undefined) {
      const i = shapes.findIndex((s) => mergeBatch([first[0], s[0]]) === undefined);
      fail(i >= 0 ? i : shapes.length - 1);
    }
    out.push(batch ?? null);
    for (let d = 1; d < first.length; d++) {
      let size: number | null = null;
      shapes.forEach((s, i) => {
        const v = s[d] ?? null;
        if (v === null) return;
        if (size !== null && size !== v) fail(i);
        size = v;
      });
      out.push(size);
    }
    return out;
  }
}
