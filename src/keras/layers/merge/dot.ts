import { InvalidArgumentError, ShapeError } from '../../../core/errors.js';
import type { Tensor } from '../../../core/tensor.js';
import * as ops from '../../../ops/index.js';
import type { LayerArgs } from '../../engine/layer.js';
import { registerLayer } from '../../engine/serialization.js';
import type { SymbolicShape } from '../../engine/symbolic.js';
import { Merge, mergeBatch, showShape } from './base.js';

export interface DotArgs extends LayerArgs {
  /**
   * Axis (or one axis per input) to take the dot product along; axes count the batch dim, which
   * cannot be one of them. Negative axes count from the end.
   */
  axes: number | readonly [number, number];
  /** L2-normalise both inputs along the axes first, so the result is a cosine similarity. */
  normalize?: boolean;
}

/**
 * Dot product of two inputs along `axes`, per example (Keras's `batch_dot`). The output has the
 * remaining dims of the first input, then those of the second; `[batch, 1]` when none remain.
 *
 * @example
 * ```ts
 * const cos = nb.keras.layers.dot({axes: 1, normalize: true});
 * cos.apply([nb.ones([4, 8]), nb.ones([4, 8])]).shape; // [4, 1], all 1s
 * ```
 */
export class Dot extends Merge {
  static override readonly className = 'Dot';
  protected override readonly minInputs = 2;
  protected override readonly maxInputs = 2;
  readonly axes: number | [number, number];
  readonly normalize: boolean;

  constructor(args: DotArgs) {
    super(args);
    const a = args.axes;
    const list = Array.isArray(a) ? a : [a];
    if ((Array.isArray(a) && a.length !== 2) || list.some((v) => !Number.isInteger(v))) {
      throw new InvalidArgumentError(`Dot '${this.name}': axes must be an integer or a pair of integers, got ${JSON.stringify(a)}.`);
    }
    this.axes = Array.isArray(a) ? [a[0]!, a[1]!] : (a as number);
    this.normalize = args.normalize ?? false;
    if (typeof this.normalize !== 'boolean') {
      throw new InvalidArgumentError(`Dot '${this.name}': normalize must be a boolean, got ${String(args.normalize)}.`);
    }
  }

  /** The two axes, made non-negative for inputs of the given shapes. */
  private resolveAxes(shapes: readonly SymbolicShape[]): [number, number] {
    const pair = Array.isArray(this.axes) ? this.axes : [this.axes, this.axes];
    return [0, 1].map((k) => {
      const rank = shapes[k]!.length;
      const a = pair[k]!;
      const axis = a < 0 ? a + rank : a;
      if (axis < 1 || axis >= rank) {
        throw new InvalidArgumentError(
          `Dot '${this.name}': axis ${a} for input ${k} of shape ${showShape(shapes[k]!)} is invalid; it must be a non-batch axis in [1, ${rank}) (or negative from the end).`,
        );
      }
      return axis;
    }) as [number, number];
  }

  protected outputShapeFor(shapes: readonly SymbolicShape[]): SymbolicShape {
    const [s0, s1] = shapes as [SymbolicShape, SymbolicShape];
    const [a0, a1] = this.resolveAxes(shapes);
    const d0 = s0[a0] ?? null;
    const d1 = s1[a1] ?? null;
    if (d0 !== null && d1 !== null && d0 !== d1) {
      throw new ShapeError(
        `Dot '${this.name}': the dot-product axes must have the same size, but axis ${a0} of input 0 (shape ${showShape(s0)}) is ${d0} and axis ${a1} of input 1 (shape ${showShape(s1)}) is ${d1}.`,
      );
    }
    const batch = mergeBatch([s0[0], s1[0]]);
    if (batch === undefined) {
      throw new ShapeError(
        `Dot '${this.name}': the inputs have different batch sizes: shapes ${showShape(s0)} and ${showShape(s1)}.`,
      );
    }
    const rest = [...s0.slice(1).filter((_, i) => i + 1 !== a0), ...s1.slice(1).filter((_, i) => i + 1 !== a1)];
    return [batch, ...(rest.length === 0 ? [1] : rest)];
  }

  protected mergeFunction([x0, y0]: Tensor[]): Tensor {
    let x = x0!;
    let y = y0!;
    const [a0, a1] = this.resolveAxes([x.shape, y.shape]);
    if (this.normalize) {
      x = ops.l2Normalize(x, a0);
      y = ops.l2Normalize(y, a1);
    }
    const others = (rank: number, axis: number): number[] => Array.from({ length: rank - 1 }, (_, i) => i + 1).filter((d) => d !== axis);
    const xOthers = others(x.rank, a0);
    const yOthers = others(y.rank, a1);
    const xPerm = [0, ...xOthers, a0];
    const yPerm = [0, a1, ...yOthers];
    const isIdentity = (p: number[]): boolean => p.every((v, i) => v === i);
    if (!isIdentity(xPerm)) x = ops.transpose(x, xPerm);
    if (!isIdentity(yPerm)) y = ops.transpose(y, yPerm);
    const xRest = xOthers.map((d) => x0!.shape[d]!);
    const yRest = yOthers.map((d) => y0!.shape[d]!);
    const size = (dims: number[]): number => dims.reduce((a, b) => a * b, 1);
    const k = x0!.shape[a0]!;
    const product = ops.matMul(ops.reshape(x, [x.shape[0]!, size(xRest), k]), ops.reshape(y, [y.shape[0]!, k, size(yRest)]));
    const rest = [...xRest, ...yRest];
    return ops.reshape(product, [product.shape[0]!, ...(rest.length === 0 ? [1] : rest)]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axes: Array.isArray(this.axes) ? [...this.axes] : this.axes, normalize: this.normalize };
  }

  static fromConfig(config: Record<string, unknown>): Dot {
    return new Dot(config as unknown as DotArgs);
  }
}
registerLayer(Dot);

/**
 * Creates a Dot layer.
 *
 * @example
 * ```ts
 * nb.keras.layers.dot({axes: [2, 2]}).apply([queries, keys]); // [batch, q, k] attention scores
 * ```
 */
export function dot(args: DotArgs): Dot {
  return new Dot(args);
}
